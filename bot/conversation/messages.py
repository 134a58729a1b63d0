"""The shape of a bot reply every channel renders: text plus buttons."""

from __future__ import annotations

from typing_extensions import TypedDict


class Button(TypedDict):
    title: str
    payload: str


class BotMessage(TypedDict):
    text: str
    buttons: list[Button]


def bot_message(text: str, buttons: list[Button] | None = None) -> BotMessage:
    """A reply with ``text`` and optional ``buttons``."""
    return {"text": text, "buttons": list(buttons or [])}
