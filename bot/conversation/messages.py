"""The shape of a bot reply every channel renders: text plus buttons, and for what has structure
(a program, a booking, slot offers) a card of the same content that LINE shows as a Flex Message."""

from __future__ import annotations

from typing_extensions import NotRequired, TypedDict


class Button(TypedDict):
    title: str
    payload: str


class Card(TypedDict):
    """The structured content of a message: a title, labelled rows and short notes."""

    title: str
    rows: list[list[str]]  # [label, value] pairs
    notes: list[str]


class BotMessage(TypedDict):
    text: str
    buttons: list[Button]
    card: NotRequired[Card]


def bot_message(text: str, buttons: list[Button] | None = None, card: Card | None = None) -> BotMessage:
    """A reply with ``text``, optional ``buttons`` and, for what has structure, its ``card``."""
    message: BotMessage = {"text": text, "buttons": list(buttons or [])}
    if card is not None:
        message["card"] = card
    return message


def card(title: str, rows: list[tuple[str, str]], notes: list[str] | None = None) -> Card:
    """A card of ``rows`` (label, value) under ``title``, with ``notes`` below."""
    return {"title": title, "rows": [[label, value] for label, value in rows], "notes": list(notes or [])}
