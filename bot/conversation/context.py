"""What the conversation was last about, so that a follow-up («それっていくら», «締切は？», «うちは
対象？») is read in its light: the program last shown, kept with the conversation's drafts
(bot/forms/drafts.py, form ``context``; forgotten after a day without a change, like them)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bot.forms import drafts
from bot.text.normalize import normalize

CONTEXT = "context"
PROGRAM = "program"
ABOUT, EVENTS = "about", "events"  # the conversation is about seminars and events
GENERAL_NOTICE = "general_notice"  # told that the chat gives general information, not legal advice
MAX_FOLLOW_UP_CHARS = 40  # a follow-up is short; a longer message says what it is about
_FOLLOW_UP = re.compile(
    r"それ|その制度|いくら|上限|金額|助成率|補助率|何割|締切|締め切り|期限|いつまで|募集|対象|申請|条件|"
    r"参加費|日程|次回|申し込|申込|必要書類"
)
_EVENT_FOLLOW_UP = re.compile(r"日程|次回|次は|いつ|参加費|費用|無料|申し込|申込|場所|会場|オンライン|定員")
_AMOUNT = re.compile(r"いくら|上限|金額|助成率|補助率|何割|万円|出るの")
_DEADLINE = re.compile(r"締切|締め切り|期限|いつまで|募集|日程|次回")
_ELIGIBILITY = re.compile(r"対象|条件|使える|使えます|申請でき|うちは|うちも")


def remember_program(session: Session, sender_id: str, program_id: str | None) -> None:
    drafts.keep(session, sender_id, CONTEXT, {PROGRAM: program_id, ABOUT: None})


def remember_events(session: Session, sender_id: str) -> None:
    """The conversation turned to seminars and events («次回の日程は？» follows up on them)."""
    drafts.keep(session, sender_id, CONTEXT, {PROGRAM: None, ABOUT: EVENTS})


def follows_up_on_events(session: Session, sender_id: str, text: str) -> bool:
    """Whether ``text`` is a short follow-up question about the events just listed."""
    text = normalize(text)
    return (
        len(text) <= MAX_FOLLOW_UP_CHARS
        and bool(_EVENT_FOLLOW_UP.search(text))
        and drafts.answers(session, sender_id, CONTEXT).get(ABOUT) == EVENTS
    )


def general_notice_due(session: Session, sender_id: str) -> bool:
    """True the first time in a conversation (and then never again): the notice is due."""
    if drafts.answers(session, sender_id, CONTEXT).get(GENERAL_NOTICE):
        return False
    drafts.keep(session, sender_id, CONTEXT, {GENERAL_NOTICE: "shown"})
    return True


def program_in_context(session: Session, sender_id: str) -> str | None:
    return drafts.answers(session, sender_id, CONTEXT).get(PROGRAM)


def follows_up_on_program(session: Session, sender_id: str, text: str) -> bool:
    """Whether ``text`` is a short follow-up question about the program last shown."""
    text = normalize(text)
    return (
        len(text) <= MAX_FOLLOW_UP_CHARS
        and bool(_FOLLOW_UP.search(text))
        and program_in_context(session, sender_id) is not None
    )


def asked_about(text: str) -> str | None:
    """Which detail a follow-up asks for: ``amount``, ``deadline``, ``eligibility`` or ``None``."""
    text = normalize(text)
    for detail, pattern in (("amount", _AMOUNT), ("deadline", _DEADLINE), ("eligibility", _ELIGIBILITY)):
        if pattern.search(text):
            return detail
    return None
