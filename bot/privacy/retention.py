"""Retention: transcripts (ours and Rasa's trackers), escalation contact details and booking
personal data are purged after their retention periods, by ``python -m bot purge`` and by a
daily job in the gateway.

A purged message keeps its row (time, direction, intent: what analytics count) with its text
replaced by ``PURGED_TEXT``; a purged escalation keeps its history of who did what, without the
visitor's words, contact details or notes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from anyio import to_thread
from sqlalchemy import and_, delete, distinct, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.booking.service import forget_cancel_tries, forget_idle_holders, purge_personal_data
from bot.core.clock import utcnow
from bot.core.config import get_settings
from bot.core.db import rows_changed, with_retries
from bot.escalation.models import Escalation, EscalationEvent
from bot.forms import drafts
from bot.models import PURGED_TEXT, Conversation, LineEvent, LineFollower, Message
from bot.notify import mail
from bot.privacy import held
from bot.privacy.rasa_trackers import purge_rasa_trackers
from bot.staff import ratelimit
from bot.staff.auth import forget_expired
from bot.staff.models import AuditEntry

logger = logging.getLogger(__name__)

PURGE_ACTOR = "system:purge"
LOGIN_ATTEMPTS_KEPT = timedelta(days=30)
# LINE redelivers a webhook within hours; an event id is kept a week to recognise it.
LINE_EVENTS_KEPT = timedelta(days=7)
# A LINE user with no row follows the account: a row is kept for an unfollow (nothing is sent
# to them), and a follow only a day, against an earlier event delivered late.
LINE_FOLLOWS_KEPT = timedelta(days=1)


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    messages: int
    escalations: int
    bookings: int
    rasa_conversations: int = 0
    line_users: int = 0
    log_files: int = 0

    def summary(self) -> str:
        return (
            f"conversations={self.conversations} messages={self.messages} "
            f"escalations={self.escalations} bookings={self.bookings} "
            f"rasa_conversations={self.rasa_conversations} line_users={self.line_users} "
            f"log_files={self.log_files}"
        )


def purge_transcripts(session: Session, retention_days: int) -> tuple[int, int, int]:
    """Purge the texts of conversations idle for ``retention_days`` and the contact details of
    escalations untouched as long; returns (conversations, messages, escalations) purged."""
    cutoff = utcnow() - timedelta(days=retention_days)
    old_conversations = select(Conversation.id).where(Conversation.last_message_at < cutoff)
    pending = (
        Message.conversation_id.in_(old_conversations),
        or_(Message.text != PURGED_TEXT, Message.buttons.is_not(None)),
    )
    conversations = session.scalar(select(func.count(distinct(Message.conversation_id))).where(*pending)) or 0
    session.execute(
        update(Conversation)
        .where(Conversation.id.in_(old_conversations), Conversation.address_key.is_not(None))
        .values(address_key=None)
        .execution_options(synchronize_session=False)
    )
    messages = rows_changed(
        session.execute(
            update(Message)
            .where(*pending)
            .values(text=PURGED_TEXT, buttons=None, card=None)
            .execution_options(synchronize_session=False)
        )
    )

    personal = (
        Escalation.trigger_text,
        Escalation.contact_name,
        Escalation.contact_phone,
        Escalation.contact_email,
        Escalation.resolution,
    )
    escalation_ids = list(
        session.scalars(
            select(Escalation.id).where(
                Escalation.updated_at < cutoff,
                or_(*(column.is_not(None) for column in personal), _has_notes()),
            )
        )
    )
    if escalation_ids:
        session.execute(
            update(Escalation)
            .where(Escalation.id.in_(escalation_ids))
            # Keep updated_at: a purge is not a change staff made.
            .values(dict.fromkeys(personal) | {Escalation.updated_at: Escalation.updated_at})
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(EscalationEvent)
            .where(EscalationEvent.escalation_id.in_(escalation_ids))
            .values(note=None)
            .execution_options(synchronize_session=False)
        )
    return conversations, messages or 0, len(escalation_ids)


def purge_line(session: Session, retention_days: int) -> int:
    """Forget LINE webhook ids past a week, follows past a day and unfollows past the transcript
    retention period; returns how many LINE user ids were forgotten."""
    now = utcnow()
    session.execute(delete(LineEvent).where(LineEvent.received_at < now - LINE_EVENTS_KEPT))
    forgotten = session.execute(
        delete(LineFollower).where(
            or_(
                and_(LineFollower.following.is_(True), LineFollower.updated_at < now - LINE_FOLLOWS_KEPT),
                LineFollower.updated_at < now - timedelta(days=retention_days),
            )
        )
    )
    return rows_changed(forgotten)


def purge_logs(folder: Path, retention_days: int) -> int:
    """Delete the rotated log files (``gateway.log.1``, …) older than ``retention_days``; the live
    ones are masked as they are written (bot/core/logging.py) and rotated at each start."""
    cutoff = time.time() - retention_days * 86400
    old = [path for path in folder.glob("*.log.*") if path.stat().st_mtime < cutoff]
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)


def _has_notes():
    return Escalation.id.in_(select(EscalationEvent.escalation_id).where(EscalationEvent.note.is_not(None)))


def run_purge() -> PurgeResult:
    """Apply every retention period once, log what was removed and record it in the audit log."""
    settings = get_settings()

    rasa_conversations = _purge_rasa_trackers(settings.rasa_tracker_url, settings.transcript_retention_days)

    def work(session: Session) -> PurgeResult:
        conversations, messages, escalations = purge_transcripts(session, settings.transcript_retention_days)
        bookings = purge_personal_data(session, settings.booking_retention_days)
        ratelimit.forget_before(session, utcnow() - LOGIN_ATTEMPTS_KEPT)
        forget_expired(session)
        line_users = purge_line(session, settings.transcript_retention_days)
        drafts.forget_stale(session)  # forms left unfinished: their answers after a day
        held.forget_stale(session)  # contacts typed in the chat that no record took, after a day
        forget_idle_holders(session)  # booking limits: hashed holders and tries, after a day
        forget_cancel_tries(session)
        mail.forget_stale(session)  # mail that could not go out within a day
        logs = purge_logs(settings.log_dir, settings.log_retention_days)
        result = PurgeResult(
            conversations, messages, escalations, bookings, rasa_conversations, line_users, logs
        )
        session.add(AuditEntry(actor=PURGE_ACTOR, action="purge", detail=result.summary()))
        return result

    result = with_retries(work)
    logger.info(
        "purge: texts removed from %d messages in %d conversations idle over %d days; contact details "
        "and notes removed from %d escalations; personal data removed from %d bookings (slots more than "
        "%d days ago); %d idle conversations deleted from Rasa's tracker store",
        result.messages,
        result.conversations,
        settings.transcript_retention_days,
        result.escalations,
        result.bookings,
        settings.booking_retention_days,
        result.rasa_conversations,
    )
    return result


def _purge_rasa_trackers(url: str | None, retention_days: int) -> int:
    """Rasa's share of the purge; its store being unreachable must not stop the rest."""
    if not url:
        return 0
    try:
        return purge_rasa_trackers(url, retention_days)
    except SQLAlchemyError:
        logger.exception("purge: Rasa's tracker store could not be purged; it is tried again next time")
        return 0


async def purge_daily(interval_hours: float) -> None:
    """Run the purge now and then every ``interval_hours``, until cancelled; failures are logged."""
    while True:
        try:
            await to_thread.run_sync(run_purge)
        except Exception:
            logger.exception("purge: the scheduled purge failed; it runs again at the next interval")
        await asyncio.sleep(interval_hours * 3600)


@contextlib.asynccontextmanager
async def scheduled_purge():
    """Keep the daily purge running while the gateway runs (off when the interval is 0)."""
    interval = get_settings().purge_interval_hours
    if interval <= 0:
        yield
        return
    task = asyncio.create_task(purge_daily(interval), name="daily-purge")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
