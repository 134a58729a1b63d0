"""What the database is seeded with, in one place: the program catalogue, the booking calendar and
the knowledge base (each idempotent; staff edits are never overwritten). Every gateway worker's
start-up calls it, and so does ``scripts/scaled.py prepare``, which seeds once before several
workers start (they would race to insert the same rows)."""

from __future__ import annotations

from bot.booking.calendar import seed_calendar
from bot.catalogue.seed import seed_catalogue
from bot.core.config import get_settings
from bot.core.db import with_retries
from bot.faq.knowledge import load_knowledge
from bot.faq.store import seed_knowledge


def seed_database() -> None:
    settings = get_settings()
    seed_catalogue(settings.content_dir / "programs.yml")
    with_retries(lambda session: seed_calendar(session, settings.calendar_file))
    with_retries(lambda session: seed_knowledge(session, load_knowledge()))
