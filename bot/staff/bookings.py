"""Bookings as staff see them: upcoming consultations (new, changed, cancelled), change or
cancel through the booking rules, and the slot settings admins edit."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.booking.calendar import Slot, closure_reason, free_slots
from bot.booking.messages import refusal
from bot.booking.models import Booking, ClosedDay, ConsultationKind, OpeningRule, Place, SlotSeat
from bot.booking.service import BookingError, cancel_booking, change_booking
from bot.core.clock import now_tokyo
from bot.staff.models import AuditEntry
from bot.staff.timefmt import WEEKDAYS, as_utc

STATUSES = {"booked": "予約済み", "cancelled": "キャンセル"}
NEW_FOR = timedelta(days=3)
CHANGED_AFTER = timedelta(seconds=1)
SLOT_CHOICES = 20
_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class SettingsError(Exception):
    """A slot setting that cannot be saved (message in Japanese)."""


@dataclass(frozen=True)
class Row:
    booking: Booking
    kind: str
    place: str
    marks: tuple[str, ...]  # 新規, 変更あり, キャンセル


def _names(session: Session, model) -> dict[str, str]:
    return {row.id: row.name for row in session.scalars(select(model))}


def marks(booking: Booking, now: datetime) -> tuple[str, ...]:
    """What changed lately: a new booking, a changed one, a cancelled one."""
    found = []
    if booking.status == "cancelled":
        found.append("キャンセル")
    elif as_utc(booking.updated_at) - as_utc(booking.created_at) > CHANGED_AFTER:
        found.append("変更あり")
    if now - as_utc(booking.created_at) < NEW_FOR:
        found.append("新規")
    return tuple(found)


def upcoming(session: Session, status: str, place: str, now: datetime, limit: int | None = 500) -> list[Row]:
    """Consultations from today on (Japan time), earliest first; ``limit=None`` for all of them."""
    today = datetime.combine(now_tokyo().date(), time())
    query = select(Booking).where(Booking.slot_start >= today)
    if status in STATUSES:
        query = query.where(Booking.status == status)
    if place:
        query = query.where(Booking.place_id == place)
    kinds, places = _names(session, ConsultationKind), _names(session, Place)
    return [
        Row(b, kinds.get(b.kind_id, b.kind_id), places.get(b.place_id, b.place_id), marks(b, now))
        for b in session.scalars(query.order_by(Booking.slot_start, Booking.id).limit(limit))
    ]


def booking_by_number(session: Session, number: str) -> Booking:
    booking = session.scalar(select(Booking).where(Booking.number == number))
    if booking is None:
        raise LookupError(number)
    return booking


def slot_choices(session: Session, booking: Booking) -> list[Slot]:
    """Free slots the booking can move to (same place and kind)."""
    return free_slots(session, booking.place_id, booking.kind_id, now_tokyo(), limit=SLOT_CHOICES)


def _audit(session: Session, actor: str, action: str, target: str, detail: str | None = None) -> None:
    session.add(AuditEntry(actor=actor, action=action, target=target, detail=detail))


def staff_change(session: Session, number: str, new_start: datetime, actor: str) -> str | None:
    """Move a booking to ``new_start``; the visitor-facing refusal text when the rules say no."""
    booking = booking_by_number(session, number)
    if booking.status != "booked":
        return "キャンセル済みの予約は変更できません。"
    old = booking.slot_start
    try:
        change_booking(session, booking, new_start)
    except BookingError as error:
        return refusal(error.code)
    _audit(session, actor, "booking_changed", number, f"{old:%Y-%m-%d %H:%M} → {new_start:%Y-%m-%d %H:%M}")
    return None


def staff_cancel(session: Session, number: str, actor: str) -> str | None:
    booking = booking_by_number(session, number)
    if booking.status != "booked":
        return "この予約はすでにキャンセルされています。"
    cancel_booking(session, booking)
    _audit(session, actor, "booking_cancelled", number)
    return None


# --- slot settings (admin) ---------------------------------------------------------------


BUSINESS_DAYS = range(5)  # Monday to Friday: weekends are always closed (bot.booking.calendar)


@dataclass(frozen=True)
class PatternRow:
    """One start time of the weekly pattern: its length and the seats on each business day."""

    start_time: str
    minutes: int
    capacity: tuple[int, ...]  # per weekday Monday..Friday; 0 = no slot that day
    booked: tuple[int, ...]  # upcoming seats taken, per weekday


def weekly_pattern(session: Session) -> list[PatternRow]:
    """The opening rules as a grid: start times down, business days across."""
    seats = Counter(
        (start.weekday(), f"{start:%H:%M}")
        for start in session.scalars(select(SlotSeat.slot_start).where(SlotSeat.slot_start >= now_tokyo()))
    )
    rules = list(session.scalars(select(OpeningRule).where(OpeningRule.weekday.in_(BUSINESS_DAYS))))
    rows = []
    for start in sorted({r.start_time for r in rules}):
        at = {r.weekday: r for r in rules if r.start_time == start}
        rows.append(
            PatternRow(
                start_time=start,
                minutes=max(r.slot_minutes for r in at.values()),
                capacity=tuple(at[d].capacity if d in at else 0 for d in BUSINESS_DAYS),
                booked=tuple(seats[(d, start)] for d in BUSINESS_DAYS),
            )
        )
    return rows


def _number(value: str, low: int, high: int, message: str) -> int:
    try:
        number = int(value or "0")
    except ValueError as error:
        raise SettingsError(message) from error
    if not low <= number <= high:
        raise SettingsError(message)
    return number


def parse_pattern(form: dict[str, str]) -> dict[tuple[int, str], tuple[int, int]]:
    """The submitted grid as {(weekday, start): (minutes, capacity)}; rows are ``time-N`` etc.

    A row without a time, or a capacity of 0, means no slot.
    """
    wanted: dict[tuple[int, str], tuple[int, int]] = {}
    rows = sorted({key.split("-", 1)[1] for key in form if key.startswith("time-")})
    for row in rows:
        start = (form.get(f"time-{row}") or "").strip()
        if not start:
            continue
        if not _HHMM.fullmatch(start):
            raise SettingsError(f"開始時刻「{start}」は 10:00 のように24時間制で入力してください。")
        minutes = _number(form.get(f"minutes-{row}", ""), 15, 240, "1枠の時間は15〜240分にしてください。")
        for day in BUSINESS_DAYS:
            seats = _number(form.get(f"cap-{row}-{day}", ""), 0, 20, "定員は0〜20人にしてください。")
            if seats:
                if (day, start) in wanted:
                    raise SettingsError(f"開始時刻 {start} が2回入力されています。")
                wanted[(day, start)] = (minutes, seats)
    return wanted


def save_pattern(session: Session, form: dict[str, str], actor: str) -> int:
    """Make the business-day opening rules match the grid; returns how many rules changed.

    Existing bookings keep their seats, even when their slot is removed or made smaller.
    """
    wanted = parse_pattern(form)
    rules = {
        (r.weekday, r.start_time): r
        for r in session.scalars(select(OpeningRule).where(OpeningRule.weekday.in_(BUSINESS_DAYS)))
    }
    changes = []
    for key, rule in rules.items():
        if key not in wanted:
            session.delete(rule)
            changes.append(f"{WEEKDAYS[key[0]]} {key[1]} 削除")
        elif (rule.slot_minutes, rule.capacity) != wanted[key]:
            rule.slot_minutes, rule.capacity = wanted[key]
            changes.append(f"{WEEKDAYS[key[0]]} {key[1]} {rule.slot_minutes}分 定員{rule.capacity}")
    for (day, start), (minutes, seats) in wanted.items():
        if (day, start) not in rules:
            session.add(OpeningRule(weekday=day, start_time=start, slot_minutes=minutes, capacity=seats))
            changes.append(f"{WEEKDAYS[day]} {start} 追加 {minutes}分 定員{seats}")
    if changes:
        _audit(session, actor, "slot_pattern_changed", "opening_rules", "、".join(sorted(changes)))
    return len(changes)


def closed_days(session: Session) -> list[ClosedDay]:
    since = now_tokyo().date() - timedelta(days=7)
    return list(session.scalars(select(ClosedDay).where(ClosedDay.day >= since).order_by(ClosedDay.day)))


def add_closed_day(session: Session, day: str, reason: str, actor: str) -> None:
    try:
        value = date.fromisoformat(day)
    except ValueError as error:
        raise SettingsError("日付を選んでください。") from error
    reason = reason.strip()
    if not reason or len(reason) > 100:
        raise SettingsError("休業の理由を100文字以内で入力してください。")
    if session.get(ClosedDay, value) is not None or closure_reason(session, value):
        raise SettingsError("その日はすでに休業日です。")
    session.add(ClosedDay(day=value, reason=reason))
    _audit(session, actor, "closed_day_added", value.isoformat(), reason)


def delete_closed_day(session: Session, day: str, actor: str) -> None:
    try:
        closed = session.get(ClosedDay, date.fromisoformat(day))
    except ValueError:
        closed = None
    if closed is None:
        raise LookupError(day)
    _audit(session, actor, "closed_day_deleted", closed.day.isoformat(), closed.reason)
    session.delete(closed)


def bookings_on_closed_days(session: Session) -> list[Booking]:
    """Open bookings that now fall on a closed day (staff should contact those visitors)."""
    days = set(session.scalars(select(ClosedDay.day)))
    rows = session.scalars(
        select(Booking)
        .where(Booking.status == "booked", Booking.slot_start >= now_tokyo())
        .order_by(Booking.slot_start)
    )
    return [b for b in rows if b.slot_start.date() in days]
