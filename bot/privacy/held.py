"""Contact details typed in the chat are held here, per conversation, only until a booking or a
call-back takes them, and never longer than ``HELD_FOR``.

The transcript, Rasa and every free-text column get the placeholders of bot/reading/contact.py
instead; the action that reads a contact resolves them with ``latest``'s values.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.core.clock import utcnow
from bot.core.db import rows_changed
from bot.models import Conversation, Message
from bot.privacy.models import HeldContact
from bot.reading.contact import Found, Kind

HELD_FOR = timedelta(hours=24)


def hold(session: Session, sender_id: str, message_id: int, found: Sequence[Found]) -> None:
    """Keep the contacts typed in one message."""
    for contact in found:
        session.add(
            HeldContact(sender_id=sender_id, message_id=message_id, kind=contact.kind, value=contact.value)
        )


def latest(session: Session, sender_id: str) -> list[tuple[Kind, str]]:
    """The contacts held for the visitor's latest message, in typed order (none when it had none)."""
    last_message = (
        select(func.max(Message.id))
        .join(Conversation)
        .where(Conversation.sender_id == sender_id, Message.direction == "visitor")
        .scalar_subquery()
    )
    rows = session.execute(
        select(HeldContact.kind, HeldContact.value)
        .where(HeldContact.sender_id == sender_id, HeldContact.message_id == last_message)
        .order_by(HeldContact.id)
    )
    return [(cast(Kind, kind), value) for kind, value in rows]


def release(session: Session, sender_id: str) -> None:
    """A record took the visitor's contact: nothing typed before stays held."""
    session.execute(delete(HeldContact).where(HeldContact.sender_id == sender_id))


def forget_stale(session: Session, now: datetime | None = None) -> int:
    """Delete what no record took within ``HELD_FOR``; returns how many values."""
    cutoff = (now or utcnow()) - HELD_FOR
    return rows_changed(session.execute(delete(HeldContact).where(HeldContact.created_at < cutoff)))
