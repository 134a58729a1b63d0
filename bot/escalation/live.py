"""The live hand-off: while someone is on duty within staffed hours, a visitor asking for a
person waits in a queue, a staff member takes the case and writes in the chat, and hands the
conversation back to the bot. Every message is in the database before any channel shows it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot.conversation.messages import BotMessage
from bot.escalation import messages
from bot.escalation.models import Escalation, record_step
from bot.services import transcript
from bot.staffing import duty

MAX_REPLY_CHARS = 2000


class LiveError(Exception):
    """A step the escalation's state does not allow (message in Japanese)."""


def queue_position(session: Session, escalation: Escalation) -> int:
    """The visitor's place among those waiting for a person: urgent cases first, then in order."""
    waiting = (Escalation.bot_paused, Escalation.status == "open", Escalation.assigned_to.is_(None))
    earlier = Escalation.id < escalation.id
    urgent = Escalation.priority == "high"
    ahead = and_(urgent, earlier) if escalation.priority == "high" else or_(urgent, earlier)
    count = session.scalar(select(func.count()).select_from(Escalation).where(*waiting, ahead))
    return (count or 0) + 1


def start_waiting(session: Session, escalation: Escalation) -> list[BotMessage]:
    """Hold the conversation for staff and tell the visitor their place in the queue."""
    if not escalation.bot_paused:
        escalation.bot_paused = True
        record_step(session, escalation, "bot", "queued")
    return messages.opened_live(escalation, queue_position(session, escalation))


def still_live(session: Session, escalation: Escalation) -> bool:
    """Whether a person can still answer: the staff member who took the case is on duty, or (still
    waiting) someone is on duty within staffed hours. An on-duty mark lapses with its period."""
    if escalation.assigned_to and escalation.status == "in_progress":
        return duty.is_on_duty(session, escalation.assigned_to)
    return duty.availability(session).live


@dataclass(frozen=True)
class Holding:
    """What a visitor message gets while the conversation is held for staff: ``message``, and
    whether it stays with staff (``held``) or the bot, taking over, answers it too."""

    message: BotMessage
    held: bool


def holding(session: Session, escalation: Escalation) -> Holding:
    """A visitor message while the conversation is held for staff: passed to staff; or, when
    nobody can answer any more (staffed hours ended, the staff member went off duty), the bot
    takes over, says so, and answers it."""
    if still_live(session, escalation):
        return Holding(messages.held(escalation, taken=escalation.status == "in_progress"), held=True)
    escalation.bot_paused = False
    record_step(session, escalation, "bot", "live_ended")
    return Holding(messages.live_ended(escalation, duty.availability(session)), held=False)


def _deliver(session: Session, escalation: Escalation, reply: BotMessage, author: str | None = None) -> None:
    direction = "staff" if author else "bot"
    transcript.add_live_message(session, escalation.sender_id, escalation.channel, direction, reply, author)


def take(session: Session, escalation: Escalation, email: str, name: str) -> None:
    """A staff member takes the case; a visitor waiting in the chat is told who answers."""
    if escalation.status == "closed":
        raise LiveError("このエスカレーションはすでに完了しています。")
    escalation.status, escalation.assigned_to = "in_progress", email
    record_step(session, escalation, email, "started")
    if escalation.bot_paused:
        _deliver(session, escalation, messages.taken(name))


def reply(session: Session, escalation: Escalation, email: str, name: str, text: str) -> BotMessage:
    """A staff member writes to the visitor; the conversation is held for staff from then on."""
    text = text.strip()
    if not text:
        raise LiveError("返信を入力してください。")
    if len(text) > MAX_REPLY_CHARS:
        raise LiveError(f"返信は{MAX_REPLY_CHARS}文字以内にしてください。")
    if escalation.status == "closed":
        raise LiveError("このエスカレーションはすでに完了しています。")
    if escalation.status != "in_progress" or escalation.assigned_to != email:
        take(session, escalation, email, name)
    escalation.bot_paused = True
    written = messages.from_staff(text)
    _deliver(session, escalation, written, author=name)
    record_step(session, escalation, email, "replied")
    return written


def hand_back(session: Session, escalation: Escalation, actor: str) -> BotMessage | None:
    """The bot answers the visitor again and says so; None when it was answering already."""
    if not escalation.bot_paused:
        return None
    escalation.bot_paused = False
    record_step(session, escalation, actor, "handed_back")
    told = messages.handed_back()
    _deliver(session, escalation, told)
    return told
