"""Limits of the LINE Messaging API that every LINE message we build keeps."""

from __future__ import annotations

MAX_MESSAGES = 5  # per reply or push
MAX_TEXT_CHARS = 5000  # per text message, in UTF-16 code units as LINE counts them (an emoji is 2)
MAX_QUICK_REPLIES = 13
MAX_LABEL_CHARS = 20  # an action's label (LINE counts grapheme clusters; code points are stricter)
MAX_POSTBACK_DATA_CHARS = 300


def short_label(title: str) -> str:
    """A button's title as an action label: cut with … past the limit."""
    return title if len(title) <= MAX_LABEL_CHARS else title[: MAX_LABEL_CHARS - 1] + "…"
