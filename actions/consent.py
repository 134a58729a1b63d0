"""Consent and confirmations: only a plain yes counts (bot/reading/answers.py)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.domain import latest_text
from bot.reading.answers import is_clear_yes

NOT_A_CLEAR_YES = "恐れ入りますが、「はい」とご入力いただくか、ボタンでお答えください。"


def clear_yes(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Whether the latest message is a plain yes; if not, the visitor is asked for one."""
    if is_clear_yes(latest_text(tracker)):
        return True
    dispatcher.utter_message(text=NOT_A_CLEAR_YES)
    return False
