"""The escalation and booking lists as CSV files for Excel in Japan: UTF-8 with a BOM, Japanese
headers and labels, Japan time, the list pages' filters without paging.

Contacts are masked unless the staff member sees them (bot/staff/contact_view.py); a raw export
is recorded once in the audit log. A cell that a spreadsheet would read as a formula starts with
an apostrophe, since visitors wrote much of what is exported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy.orm import Session

from bot.booking.dialogue import IP_TYPES
from bot.core.clock import utcnow
from bot.escalation.models import PRIORITIES, REASONS, STATUSES, Escalation
from bot.reading.contact import Contact
from bot.staff import bookings
from bot.staff.auth import Staff
from bot.staff.escalations import CHANNELS, Filters, _query, staff_names
from bot.staff.models import AuditEntry
from bot.staff.summary import trigger_label
from bot.staff.timefmt import to_tokyo

EXPORTED = "contacts_exported"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCALATION_HEADER = (
    "受付番号",
    "受付日時",
    "緊急度",
    "状態",
    "理由",
    "チャネル",
    "きっかけの発言",
    "お名前",
    "電話",
    "メール",
    "担当",
    "対応結果",
    "完了日時",
)
BOOKING_HEADER = (
    "予約番号",
    "日時",
    "時間(分)",
    "状態",
    "場所",
    "相談の種類",
    "テーマ",
    "会社名",
    "お名前",
    "電話",
    "メール",
    "ご相談内容",
    "受付日時",
    "最終更新",
)


def cell(value: object) -> str:
    """``value`` as a CSV cell; one a spreadsheet would run as a formula gets a leading ``'``."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """The rows under ``header`` as CSV, UTF-8 with a BOM and CRLF line ends (as Excel reads them)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([cell(value) for value in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")


def _time(moment: datetime | None) -> str:
    """A stored UTC time in Japan time, as Excel reads a date and time: ``2026/11/25 21:03``."""
    return f"{to_tokyo(moment):%Y/%m/%d %H:%M}" if moment else ""


def _contact(staff: Staff, phone: str | None, email: str | None) -> tuple[str, str]:
    """The phone and e-mail cells as ``staff`` may see them."""
    if staff.sees_contact:
        return phone or "", email or ""
    return (
        Contact(phone=phone).masked() if phone else "",
        Contact(email=email).masked() if email else "",
    )


def _audit_raw(session: Session, staff: Staff, target: str, with_contact: bool, detail: str) -> None:
    """One audit entry for an export that holds raw contacts (never one per row)."""
    if staff.sees_contact and with_contact:
        session.add(AuditEntry(actor=staff.email, action=EXPORTED, target=target, detail=detail))


def _described(count: int, filters: dict[str, object]) -> str:
    """``12件 status=active priority=high``: what was exported, for the audit log."""
    return f"{count}件" + "".join(f" {k}={v}" for k, v in filters.items() if v)


def _escalation_row(e: Escalation, names: dict[str, str], staff: Staff) -> list[str]:
    phone, email = _contact(staff, e.contact_phone, e.contact_email)
    return [
        e.reference or "",
        _time(e.created_at),
        PRIORITIES.get(e.priority, e.priority),
        STATUSES.get(e.status, e.status),
        REASONS.get(e.reason, e.reason),
        CHANNELS.get(e.channel, e.channel),
        trigger_label(e.trigger_text) if e.trigger_text else "",
        e.contact_name or "",
        phone,
        email,
        names.get(e.assigned_to, e.assigned_to) if e.assigned_to else "",
        e.resolution or "",
        _time(e.closed_at),
    ]


def escalations_csv(session: Session, filters: Filters, staff: Staff) -> bytes:
    """Every escalation the list shows with ``filters`` (all its pages), oldest first."""
    found = list(session.scalars(_query(filters).order_by(Escalation.created_at, Escalation.id)))
    with_contact = any(e.contact_phone or e.contact_email for e in found)
    wanted = {k: v for k, v in asdict(filters).items() if k != "page"}
    _audit_raw(session, staff, "escalations", with_contact, _described(len(found), wanted))
    names = staff_names(session)
    return to_csv(ESCALATION_HEADER, (_escalation_row(e, names, staff) for e in found))


def _booking_row(row: bookings.Row, staff: Staff) -> list[str]:
    b = row.booking
    phone, email = _contact(staff, b.phone, b.email)
    return [
        b.number,
        f"{b.slot_start:%Y/%m/%d %H:%M}",  # stored as Tokyo wall-clock time
        str(b.slot_minutes),
        bookings.STATUSES.get(b.status, b.status),
        row.place,
        row.kind,
        IP_TYPES.get(b.topic, b.topic) if b.topic else "",
        b.company or "",
        b.person_name or "",
        phone,
        email,
        b.description or "",
        _time(b.created_at),
        _time(b.updated_at),
    ]


def bookings_csv(session: Session, status: str, place: str, staff: Staff) -> bytes:
    """Every booking the list shows with ``status`` and ``place`` (from today on), earliest first."""
    found = bookings.upcoming(session, status, place, utcnow(), limit=None)
    with_contact = any(row.booking.phone or row.booking.email for row in found)
    wanted: dict[str, object] = {"status": status, "place": place}
    _audit_raw(session, staff, "bookings", with_contact, _described(len(found), wanted))
    return to_csv(BOOKING_HEADER, (_booking_row(row, staff) for row in found))
