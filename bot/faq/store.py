"""The knowledge base staff keep in the database: seeded from data/faq/ (staff edits are never
overwritten), read as it is now by every answer, edited with an audit trail, and never published
with a figure its quotes do not hold."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.clock import utcnow
from bot.faq.knowledge import TOPIC_INTENTS, Entry, entry_fields, from_fields, load_knowledge
from bot.faq.models import EntryChange, StoredEntry
from bot.reading.facts import fact_tokens, source_tokens

SEED_AUTHOR = "seed:data/faq"
_current: dict[tuple[int, object], tuple[Entry, ...]] = {}


def seed_knowledge(session: Session, entries: tuple[Entry, ...]) -> int:
    """Insert the entries the database does not hold yet; returns how many were added."""
    known = set(session.scalars(select(StoredEntry.id)))
    added = [e for e in entries if e.id not in known]
    for entry in added:
        _add(session, entry.id, entry.topic, entry_fields(entry), SEED_AUTHOR)
    return len(added)


def _add(session: Session, entry_id: str, topic: str, fields: dict[str, Any], actor: str) -> None:
    """A new entry, its first change in the audit trail."""
    session.add(StoredEntry(id=entry_id, topic=topic, fields=fields))
    session.flush()
    session.add(EntryChange(entry_id=entry_id, changed_by=actor, before=None, after=fields))


def _version(session: Session) -> tuple[int, object]:
    count, latest = session.execute(select(func.count(), func.max(StoredEntry.updated_at))).one()
    return int(count), latest


def current(session: Session) -> tuple[Entry, ...]:
    """The published entries as they are now (read again only after a change); an empty store is
    seeded from data/faq/ first."""
    version = _version(session)
    if version[0] == 0 and seed_knowledge(session, load_knowledge()):
        version = _version(session)
    if version not in _current:
        rows = session.scalars(select(StoredEntry).where(StoredEntry.published).order_by(StoredEntry.id))
        _current.clear()
        _current[version] = tuple(from_fields(r.id, r.topic, r.fields) for r in rows)
    return _current[version]


def all_complete(facts: list[dict[str, Any]]) -> bool:
    """Whether there is a fact and each has its quote, its publisher and a web address."""
    return bool(facts) and all(
        f["quote"] and f["publisher"] and str(f["url"]).startswith(("https://", "http://")) for f in facts
    )


def unquoted_figures(answer: str, facts: list[dict[str, Any]]) -> set[str]:
    """The amounts, dates and numbers ``answer`` states that none of its quotes holds."""
    quoted = set().union(*(source_tokens(f"{f['quote']} {f.get('page_date') or ''}") for f in facts))
    return fact_tokens(answer) - quoted


class UnquotedFigures(ValueError):
    """An answer states figures its quotes do not hold."""


def edit(session: Session, entry_id: str, changes: dict[str, Any], published: bool, actor: str) -> bool:
    """Change an entry's fields (answer, questions, next step) and whether the bot uses it;
    False when nothing changed. Refused when the answer states a figure no quote holds."""
    row = session.get(StoredEntry, entry_id)
    if row is None:
        raise LookupError(entry_id)
    fields = {**row.fields, **changes}
    if figures := unquoted_figures(fields["answer"], fields["facts"]):
        raise UnquotedFigures("、".join(sorted(figures)))
    if fields == row.fields and published == row.published:
        return False
    session.add(EntryChange(entry_id=entry_id, changed_by=actor, before=row.fields, after=fields))
    row.fields, row.published, row.updated_at = fields, published, utcnow()
    return True


class InvalidEntry(ValueError):
    """A new entry staff wrote is not complete: field → what to fix."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


_NEW_ID = re.compile(r"[a-z0-9_]{2,60}")


def create(session: Session, entry_id: str, topic: str, fields: dict[str, Any], actor: str) -> None:
    """Add an entry staff wrote: its id starts with its topic, it rests on a fact with a quote,
    an address and a publisher, and its answer states no figure its quote does not hold."""
    problems = {}
    if topic not in TOPIC_INTENTS:
        problems["topic"] = "分野を選んでください。"
    elif not (entry_id.startswith(f"{topic}_") and _NEW_ID.fullmatch(entry_id)):
        problems["entry_id"] = f"IDは「{topic}_」で始め、半角英小文字・数字・_で書いてください。"
    elif session.get(StoredEntry, entry_id) is not None:
        problems["entry_id"] = "このIDはすでに使われています。"
    if not all_complete(fields["facts"]):
        problems["fact"] = "出典の引用・発行元・アドレス(https://〜)を入力してください。"
    elif figures := unquoted_figures(fields["answer"], fields["facts"]):
        problems["answer"] = f"次の数字・日付が出典の引用にありません: {'、'.join(sorted(figures))}。"
    if problems:
        raise InvalidEntry(problems)
    _add(session, entry_id, topic, fields, actor)


def history(session: Session, entry_id: str) -> list[EntryChange]:
    return list(
        session.scalars(
            select(EntryChange).where(EntryChange.entry_id == entry_id).order_by(EntryChange.id.desc())
        )
    )


def stored(session: Session) -> list[StoredEntry]:
    return list(session.scalars(select(StoredEntry).order_by(StoredEntry.topic, StoredEntry.id)))
