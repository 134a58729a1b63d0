"""Rasa's tracker store keeps every event of a conversation (the visitor's words, with contact
details as placeholders). Conversations idle past the transcript retention period are deleted
from it, as their texts are purged from the gateway's store; of a visitor who keeps coming back,
the events older than the period go too, but only those before the sender's last
``session_started``: Rasa reads the current session whole, so nothing inside it is deleted.

Rasa's SQL tracker store has one ``events`` table (``sender_id``, ``timestamp`` in epoch
seconds, ...), the same on SQLite and PostgreSQL; a visitor who comes back later simply starts a
new conversation.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import column, create_engine, delete, func, inspect, select, table
from sqlalchemy.engine import Connection, make_url

EVENTS = table("events", column("id"), column("sender_id"), column("type_name"), column("timestamp"))


def _missing_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists()


def _current_session():
    """The id of the sender's last ``session_started`` event (the start of the session Rasa reads)."""
    started = EVENTS.alias("started")
    return (
        select(func.max(started.c.id))
        .where(started.c.sender_id == EVENTS.c.sender_id, started.c.type_name == "session_started")
        .scalar_subquery()
    )


@contextmanager
def _events(url: str) -> Iterator[Connection | None]:
    """A transaction on the tracker store, or ``None`` when Rasa has not written a tracker yet."""
    if _missing_sqlite_file(url):
        yield None
        return
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            yield connection if inspect(connection).has_table("events") else None
    finally:
        engine.dispose()


def forget_rasa_tracker(url: str, sender_id: str) -> None:
    """Delete every event of one sender (a visitor deleting their conversation)."""
    with _events(url) as connection:
        if connection is not None:
            connection.execute(delete(EVENTS).where(EVENTS.c.sender_id == sender_id))


def purge_rasa_trackers(url: str, retention_days: int) -> int:
    """Delete the conversations whose last event is older than ``retention_days``; returns how many."""
    cutoff = time.time() - retention_days * 86400
    with _events(url) as connection:
        if connection is None:
            return 0
        idle = (
            select(EVENTS.c.sender_id)
            .group_by(EVENTS.c.sender_id)
            .having(func.max(EVENTS.c.timestamp) < cutoff)
        )
        count = connection.scalar(select(func.count()).select_from(idle.subquery()))
        connection.execute(delete(EVENTS).where(EVENTS.c.sender_id.in_(idle)))
        connection.execute(
            delete(EVENTS).where(EVENTS.c.timestamp < cutoff, EVENTS.c.id < _current_session())
        )
        return count or 0
