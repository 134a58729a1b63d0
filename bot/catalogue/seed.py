"""Seed the catalogue from ``programs.yml`` (idempotent: staff edits are never overwritten)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.catalogue.models import Program, ProgramChange
from bot.core.db import with_retries

logger = logging.getLogger(__name__)

SEED_AUTHOR = "seed:programs.yml"
FIELDS = ("name", "summary", "eligibility", "rate", "limit", "as_of", "source_url", "source_note")


def program_values(entry: dict[str, Any]) -> dict[str, Any]:
    """Catalogue columns for one ``programs.yml`` entry."""
    values: dict[str, Any] = {field: _text(entry.get(field)) for field in FIELDS}
    values["third_party"] = "[3P]" in (values["source_note"] or "")
    return values


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def seed_programs(session: Session, programs_file: Path) -> int:
    """Insert the programs that are not in the catalogue yet; returns how many were added."""
    entries = yaml.safe_load(programs_file.read_text("utf-8")) or []
    known = set(session.scalars(select(Program.id)))
    added = 0
    for entry in entries:
        if entry["id"] in known:
            continue
        values = program_values(entry)
        session.add(Program(id=entry["id"], **values))
        session.flush()
        session.add(ProgramChange(program_id=entry["id"], changed_by=SEED_AUTHOR, before=None, after=values))
        added += 1
    return added


def seed_catalogue(programs_file: Path) -> None:
    """Seed the configured database from ``programs_file`` when it exists."""
    if not programs_file.is_file():
        logger.warning("no catalogue seed at %s; the catalogue stays as it is", programs_file)
        return
    added = with_retries(lambda session: seed_programs(session, programs_file))
    if added:
        logger.info("catalogue: %d programs added from %s", added, programs_file)
