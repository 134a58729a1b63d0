"""Times as staff read them: stored in UTC, shown in Japan time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.core.clock import TOKYO

WEEKDAYS = "月火水木金土日"


def as_utc(moment: datetime) -> datetime:
    """``moment`` with its UTC zone (SQLite gives stored UTC times back without one)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_tokyo(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(TOKYO)


def jst(moment: datetime | None, with_seconds: bool = False) -> str:
    """``2026/11/25(水) 21:03`` in Japan time; empty for ``None``."""
    if moment is None:
        return ""
    local = to_tokyo(moment)
    clock = f"{local:%H:%M:%S}" if with_seconds else f"{local:%H:%M}"
    return f"{local:%Y/%m/%d}({WEEKDAYS[local.weekday()]}) {clock}"


def tokyo_midnight(day: date) -> datetime:
    """The start of ``day`` in Japan time, as UTC: the bound to compare stored times with
    (SQLite compares their UTC text, so a Tokyo-zoned bound would be nine hours off)."""
    return datetime.combine(day, time(), tzinfo=TOKYO).astimezone(UTC)


def tokyo_day(moment: datetime) -> date:
    """The Japan-time calendar day of a stored UTC time."""
    return to_tokyo(moment).date()


def slot(start: datetime | None) -> str:
    """A booking slot (stored as Tokyo wall-clock time): ``2026/12/03(木) 14:00``."""
    if start is None:
        return ""
    return f"{start:%Y/%m/%d}({WEEKDAYS[start.weekday()]}) {start:%H:%M}"


def day(value: date) -> str:
    return f"{value:%Y/%m/%d}({WEEKDAYS[value.weekday()]})"
