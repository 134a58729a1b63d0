"""Staffed hours: when a person can answer in the chat. None are set by default, and then the
bot never implies that someone is there."""

from __future__ import annotations

import re
from datetime import date, datetime, time

import jpholiday
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.staff.timefmt import WEEKDAYS
from bot.staffing.models import StaffClosedDay, StaffedPeriod

_CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


class HoursError(Exception):
    """Staffed hours that cannot be saved (message in Japanese)."""


def closure_reason(session: Session, day: date) -> str | None:
    """Why nobody is in the chat on ``day`` although the weekly pattern may say so."""
    if holiday := jpholiday.is_holiday_name(day):
        return f"祝日({holiday})"
    closed = session.get(StaffClosedDay, day)
    return closed.reason if closed else None


def period_on(session: Session, day: date) -> tuple[datetime, datetime] | None:
    """The staffed period of ``day`` in Tokyo wall-clock time, or None when nobody is there."""
    period = session.get(StaffedPeriod, day.weekday())
    if period is None or closure_reason(session, day):
        return None
    opens, closes = time.fromisoformat(period.opens), time.fromisoformat(period.closes)
    return datetime.combine(day, opens), datetime.combine(day, closes)


def staffed_until(session: Session, moment: datetime) -> datetime | None:
    """The end of the staffed period ``moment`` (Tokyo wall-clock) falls in, or None."""
    period = period_on(session, moment.date())
    return period[1] if period and period[0] <= moment < period[1] else None


def pattern(session: Session) -> dict[int, StaffedPeriod]:
    return {p.weekday: p for p in session.scalars(select(StaffedPeriod))}


def _clock(value: str) -> str:
    """``09:00`` as a visitor reads it: ``9:00``."""
    hour, minute = value.split(":")
    return f"{int(hour)}:{minute}"


def _label(period: StaffedPeriod) -> str:
    return f"{_clock(period.opens)}〜{_clock(period.closes)}"


def describe(session: Session) -> str | None:
    """The staffed hours as a visitor reads them («月〜金 9:00〜17:00(祝日・休業日を除く)»), or
    None when none are set."""
    periods = pattern(session)
    if not periods:
        return None
    groups: list[tuple[list[int], str]] = []
    for weekday in sorted(periods):
        label = _label(periods[weekday])
        if groups and groups[-1][1] == label and groups[-1][0][-1] == weekday - 1:
            groups[-1][0].append(weekday)
        else:
            groups.append(([weekday], label))
    parts = [
        (WEEKDAYS[days[0]] + (f"〜{WEEKDAYS[days[-1]]}" if len(days) > 1 else "")) + f" {label}"
        for days, label in groups
    ]
    return "、".join(parts) + "(祝日・休業日を除く)"


def save_pattern(session: Session, rows: dict[int, tuple[str, str]]) -> None:
    """Replace the weekly pattern: ``{weekday: (opens, closes)}``; weekdays left out are unstaffed."""
    for weekday, (opens, closes) in rows.items():
        if not (0 <= weekday <= 6 and _CLOCK.fullmatch(opens) and _CLOCK.fullmatch(closes)):
            raise HoursError("時刻は 09:00 の形で入力してください。")
        if opens >= closes:
            raise HoursError(f"{WEEKDAYS[weekday]}曜日の終了時刻は開始時刻より後にしてください。")
    session.execute(delete(StaffedPeriod))
    session.add_all(StaffedPeriod(weekday=w, opens=o, closes=c) for w, (o, c) in rows.items())


def add_closed_day(session: Session, day: date, reason: str) -> None:
    reason = reason.strip()[:100]
    if not reason:
        raise HoursError("休業の理由を入力してください(例: 年末年始)。")
    session.merge(StaffClosedDay(day=day, reason=reason))


def remove_closed_day(session: Session, day: date) -> None:
    session.execute(delete(StaffClosedDay).where(StaffClosedDay.day == day))


def closed_days(session: Session, since: date) -> list[StaffClosedDay]:
    return list(
        session.scalars(
            select(StaffClosedDay).where(StaffClosedDay.day >= since).order_by(StaffClosedDay.day)
        )
    )
