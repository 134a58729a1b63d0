"""A message's card as a LINE Flex Message: a bubble with the title, the labelled rows, the notes
and the message's first three buttons (all of them stay quick replies under the reply, as for
text); an ``altText`` that reads well in a notification.

Built as JSON and read through the SDK's models (``FlexContainer.from_dict``), so a malformed
bubble fails here, not at LINE. Docs and examples: docs/line.md.
"""

from __future__ import annotations

import json
from typing import Any

from linebot.v3.messaging import FlexContainer, FlexMessage

from bot.channels.line_limits import short_label
from bot.conversation.messages import BotMessage, Button, Card

MAX_ALT_TEXT = 400  # LINE allows 1,500 (UTF-16 units); a notification shows far less
MAX_BUBBLE_BYTES = 30_000  # LINE's limit for one bubble's JSON
MAX_FOOTER_BUTTONS = 3
MUTED = "#5b6470"  # 5.9:1 on white


def flex_message(message: BotMessage) -> FlexMessage | None:
    """The message's card as a Flex Message (None without a card, or when LINE would refuse it)."""
    card = message.get("card")
    if card is None:
        return None
    bubble = _bubble(card, message["buttons"][:MAX_FOOTER_BUTTONS])
    if len(json.dumps(bubble, ensure_ascii=False).encode("utf-8")) > MAX_BUBBLE_BYTES:
        return None
    return FlexMessage(alt_text=alt_text(card), contents=FlexContainer.from_dict(bubble))


def alt_text(card: Card) -> str:
    """What a notification and an old LINE app show: the title and the first rows."""
    parts = [card["title"], *(f"{label}: {value}" for label, value in card["rows"][:3])]
    text = " / ".join(parts)
    return text if len(text) <= MAX_ALT_TEXT else text[: MAX_ALT_TEXT - 1] + "…"


def _bubble(card: Card, buttons: list[Button]) -> dict[str, Any]:
    rows = [_row(label, value) for label, value in card["rows"]]
    notes = [_text(note, size="xs", color=MUTED) for note in card["notes"]]
    separator = [{"type": "separator", "margin": "md"}] if rows and notes else []
    bubble: dict[str, Any] = {
        "type": "bubble",
        "header": {
            "type": "box",
            "layout": "vertical",
            "contents": [_text(card["title"], size="lg", weight="bold")],
        },
        "body": {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [*rows, *separator, *notes],
        },
    }
    if buttons:
        bubble["footer"] = {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [_button(button, primary=i == 0) for i, button in enumerate(buttons)],
        }
    return bubble


def _row(label: str, value: str) -> dict[str, Any]:
    return {
        "type": "box",
        "layout": "baseline",
        "spacing": "sm",
        "contents": [
            {**_text(label, size="sm", color=MUTED), "flex": 2},
            {**_text(value, size="sm"), "flex": 5},
        ],
    }


def _text(text: str, **style: str) -> dict[str, Any]:
    return {"type": "text", "text": text, "wrap": True, **style}


def _button(button: Button, primary: bool) -> dict[str, Any]:
    label = short_label(button["title"])
    payload = button["payload"]
    if payload.startswith(("https://", "http://")):
        action = {"type": "uri", "label": label, "uri": payload}
    else:
        action = {"type": "postback", "label": label, "data": payload, "displayText": button["title"]}
    return {
        "type": "button",
        "style": "primary" if primary else "secondary",
        "height": "sm",
        "action": action,
    }
