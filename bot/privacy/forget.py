"""A visitor deletes their own conversation (the widget's 「この会話を削除」, LINE's 「会話を削除」):
the transcript, contact details held for it, unfinished forms and Rasa's events go at once.

What the visitor asked staff to act on stays, without the visitor's words: an escalation keeps
the contact given for a call-back (the visitor agreed to be called) but loses its trigger text,
and a booking stays until it is cancelled (its number and contact are the way to cancel it).
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.core.config import get_settings
from bot.core.db import rows_changed, with_retries
from bot.escalation.models import Escalation
from bot.feedback.models import AnswerFeedback
from bot.forms.models import FormDraft
from bot.models import Conversation, Message
from bot.privacy.models import HeldContact
from bot.privacy.rasa_trackers import forget_rasa_tracker

FORGOTTEN = "この会話の記録を削除しました。ご利用ありがとうございました。"
FORGET_UNAVAILABLE = (
    "申し訳ありません。ただいま会話の記録を削除できませんでした。少し時間をおいて、もう一度お試しください。"
)
# What a visitor types to delete their conversation on LINE (normalised, punctuation aside).
LINE_KEYWORDS = frozenset({"会話を削除", "会話を削除して", "会話を削除してください", "履歴を削除"})


def forget_conversation(session: Session, sender_id: str) -> int:
    """Delete the visitor's transcript and what is held for it; returns how many messages went."""
    conversation = session.scalar(select(Conversation).where(Conversation.sender_id == sender_id))
    session.execute(delete(HeldContact).where(HeldContact.sender_id == sender_id))
    session.execute(delete(FormDraft).where(FormDraft.sender_id == sender_id))
    session.execute(update(Escalation).where(Escalation.sender_id == sender_id).values(trigger_text=None))
    if conversation is None:
        return 0
    session.execute(delete(AnswerFeedback).where(AnswerFeedback.conversation_id == conversation.id))
    messages = session.execute(delete(Message).where(Message.conversation_id == conversation.id))
    session.delete(conversation)
    return rows_changed(messages)


def forget_everywhere(sender_id: str) -> None:
    """Delete the conversation in the gateway's store and in Rasa's tracker store."""
    with_retries(lambda session: forget_conversation(session, sender_id))
    if url := get_settings().rasa_tracker_url:
        forget_rasa_tracker(url, sender_id)


def asks_to_forget(text: str) -> bool:
    """Whether a LINE message is the request to delete the conversation."""
    return text.strip().rstrip("。.!！") in LINE_KEYWORDS
