"""«役に立った» / «役に立たなかった» under every knowledge-base and program answer: the buttons,
what pressing them stores (one verdict per answer and conversation, the last one counts) and
the reply; a «not helpful» offers a reason to choose and the next steps."""

from __future__ import annotations

import json
import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue.models import Program
from bot.conversation.messages import BotMessage, Button, bot_message
from bot.conversation.replies import HUMAN_BUTTON
from bot.faq import store as knowledge
from bot.feedback.models import AnswerFeedback
from bot.models import Conversation

HELPFUL, NOT_HELPFUL, REASON = "feedback_helpful", "feedback_not_helpful", "feedback_reason"
REASONS = {"off_topic": "質問と違う答えだった", "not_enough": "情報が足りない", "unclear": "わかりにくい"}
_PAYLOAD = re.compile(
    r"^/(feedback_helpful|feedback_not_helpful|feedback_reason)"
    r'\{"answer": ?"((?:faq|program):[a-z0-9_]{1,64})"(?:, ?"reason": ?"([a-z_]{1,32})")?\}$'
)
BOOK = Button(title="相談を予約する", payload="/book_consultation")

THANKS = "ご評価ありがとうございます。ほかにもご質問があれば、どうぞ入力してください。"
SORRY = (
    "お役に立てず申し訳ありません。よろしければ、理由をお選びください。"
    "言葉を変えてもう一度ご質問いただくか、相談の予約や担当者へのご相談もできます。"
)
NOTED = "ありがとうございます。いただいたご意見は、回答の見直しに使わせていただきます。"
UNKNOWN = "ご評価ありがとうございます。"


def _payload(kind: str, answer_id: str, reason: str | None = None) -> str:
    data = {"answer": answer_id, **({"reason": reason} if reason else {})}
    return f"/{kind}{json.dumps(data, ensure_ascii=False, separators=(',', ':'))}"


def buttons(answer_id: str) -> list[Button]:
    """The two feedback buttons for the answer ``answer_id`` (``faq:<entry>``, ``program:<id>``)."""
    return [
        Button(title="役に立った", payload=_payload(HELPFUL, answer_id)),
        Button(title="役に立たなかった", payload=_payload(NOT_HELPFUL, answer_id)),
    ]


def _topic(session: Session, answer_id: str) -> str | None:
    """The topic an answer belongs to (``program`` for a program card); None for no known answer."""
    kind, _, key = answer_id.partition(":")
    if kind == "program":
        return "program" if session.get(Program, key) is not None else None
    return next((e.topic for e in knowledge.current(session) if e.id == key), None)


def _verdict(session: Session, conversation_id: int, answer_id: str) -> AnswerFeedback | None:
    return session.scalar(
        select(AnswerFeedback).where(
            AnswerFeedback.conversation_id == conversation_id, AnswerFeedback.answer_id == answer_id
        )
    )


def _store(session: Session, conversation_id: int, answer_id: str, topic: str, helpful: bool) -> None:
    verdict = _verdict(session, conversation_id, answer_id)
    if verdict is None:
        verdict = AnswerFeedback(
            conversation_id=conversation_id, answer_id=answer_id, topic=topic, helpful=helpful
        )
        session.add(verdict)
    verdict.helpful, verdict.reason = helpful, None


def _reason_buttons(answer_id: str) -> list[Button]:
    return [Button(title=title, payload=_payload(REASON, answer_id, code)) for code, title in REASONS.items()]


def feedback_reply(session: Session, sender_id: str, text: str) -> BotMessage | None:
    """The reply to a pressed feedback button, stored; None when ``text`` is no such button."""
    match = _PAYLOAD.match(text)
    if match is None:
        return None
    kind, answer_id, reason = match.groups()
    conversation = session.scalar(select(Conversation).where(Conversation.sender_id == sender_id))
    topic = _topic(session, answer_id)
    if conversation is None or topic is None:
        return bot_message(UNKNOWN)
    if kind == HELPFUL:
        _store(session, conversation.id, answer_id, topic, helpful=True)
        return bot_message(THANKS)
    if kind == NOT_HELPFUL:
        _store(session, conversation.id, answer_id, topic, helpful=False)
        return bot_message(SORRY, [*_reason_buttons(answer_id), BOOK, HUMAN_BUTTON])
    verdict = _verdict(session, conversation.id, answer_id)
    if verdict is not None and not verdict.helpful and reason in REASONS:
        verdict.reason = reason
    return bot_message(NOTED, [BOOK, HUMAN_BUTTON])
