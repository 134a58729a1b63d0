"""The program catalogue as staff edit it: validation, a preview of the bot's card, and an
audit entry (who, when, before, after) on every save."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.catalogue.models import Program, ProgramChange
from bot.catalogue.render import program_card
from bot.conversation.messages import BotMessage


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    max_length: int
    multiline: bool = False
    required: bool = False
    help: str = ""


FIELDS = (
    Field("name", "制度名", 200, required=True),
    Field("summary", "支援内容", 2000, multiline=True),
    Field(
        "eligibility",
        "対象",
        2000,
        multiline=True,
        help="「公社知財相談」を含めると事前相談の要件が表示されます。",
    ),
    Field("rate", "助成率", 100),
    Field("limit", "上限額", 200),
    Field("application_period", "募集期間", 200),
    Field("as_of", "情報の時点", 100, help="例: 2025年度(第1回)"),
    Field("source_url", "出典URL", 500),
    Field("source_note", "出典メモ", 2000, multiline=True),
)
FLAGS = (("third_party", "第三者サイトの情報"), ("published", "チャットボットで案内する"))
AUDITED = tuple(f.name for f in FIELDS) + tuple(name for name, _ in FLAGS)
LABELS = {f.name: f.label for f in FIELDS} | dict(FLAGS)
_PROGRAM_ID = re.compile(r"[a-z0-9][a-z0-9_]{1,63}")


class StaleEdit(Exception):
    """Someone saved the program after this form was opened."""


def validate(form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Catalogue values from a submitted form, and the problems found (field → Japanese message)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in FIELDS:
        raw = (form.get(field.name) or "").replace("\r\n", "\n").strip()
        if field.required and not raw:
            errors[field.name] = f"{field.label}を入力してください。"
        elif len(raw) > field.max_length:
            errors[field.name] = f"{field.label}は{field.max_length}文字以内にしてください。"
        elif not field.multiline and "\n" in raw:
            errors[field.name] = f"{field.label}は1行で入力してください。"
        values[field.name] = raw or None
    url = values.get("source_url")
    if url and "source_url" not in errors:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
            errors["source_url"] = "出典URLは http:// または https:// で始まるURLにしてください。"
    for name, _ in FLAGS:
        values[name] = form.get(name) == "on"
    return values, errors


def validate_new_id(session: Session, program_id: str) -> str | None:
    """Why ``program_id`` cannot be a new program's id, or ``None``."""
    if not _PROGRAM_ID.fullmatch(program_id):
        return "IDは半角英小文字・数字・アンダースコアで2〜64文字にしてください(例: foreign_patent_grant)。"
    if session.get(Program, program_id) is not None:
        return "そのIDの制度はすでにあります。"
    return None


def preview(program_id: str, values: dict[str, Any]) -> BotMessage:
    """How the bot will show the program with these values (nothing is saved)."""
    return program_card(Program(id=program_id, **values))


def snapshot(program: Program) -> dict[str, Any]:
    return {name: getattr(program, name) for name in AUDITED}


def version(session: Session, program_id: str) -> int:
    """The id of the program's latest audit entry: changes when anyone saves it."""
    return (
        session.scalar(select(func.max(ProgramChange.id)).where(ProgramChange.program_id == program_id)) or 0
    )


def save(
    session: Session, program_id: str, values: dict[str, Any], actor: str, seen_version: int | None
) -> bool:
    """Save the values (creating the program when ``seen_version`` is None); False when nothing changed."""
    program = session.get(Program, program_id)
    if seen_version is not None and program is None:
        raise LookupError(program_id)
    if seen_version is not None and version(session, program_id) != seen_version:
        raise StaleEdit
    before = snapshot(program) if program is not None else None
    if program is None:
        program = Program(id=program_id, **values)
        session.add(program)
    elif before is not None and before == {**before, **values}:
        return False
    else:
        for name, value in values.items():
            setattr(program, name, value)
    session.flush()
    session.add(
        ProgramChange(program_id=program_id, changed_by=actor, before=before, after=snapshot(program))
    )
    return True


@dataclass(frozen=True)
class Change:
    entry: ProgramChange
    fields: list[tuple[str, Any, Any]]  # label, before, after


def changes(session: Session, program_id: str) -> list[Change]:
    """The program's audit trail, newest first, each with the fields that changed."""
    rows = session.scalars(
        select(ProgramChange)
        .where(ProgramChange.program_id == program_id)
        .order_by(ProgramChange.changed_at.desc(), ProgramChange.id.desc())
    )
    result = []
    for entry in rows:
        before, after = entry.before or {}, entry.after or {}
        names = [n for n in AUDITED if n in after or n in before]
        diff = [
            (LABELS.get(n, n), before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)
        ]
        result.append(Change(entry, diff))
    return result


def programs(session: Session) -> list[tuple[Program, ProgramChange | None]]:
    """Every program with its latest change."""
    latest = {
        change.program_id: change
        for change in session.scalars(select(ProgramChange).order_by(ProgramChange.id))
    }
    return [(p, latest.get(p.id)) for p in session.scalars(select(Program).order_by(Program.name))]
