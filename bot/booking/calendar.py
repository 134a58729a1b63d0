"""The slot calendar: business days (no weekends, public holidays or staff closures) and free slots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import jpholiday
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.booking.models import ClosedDay, ConsultationKind, OpeningRule, Place, SlotSeat
from bot.core.clock import now_tokyo

SEARCH_DAYS = 60
MIN_LEAD = timedelta(hours=1)


@dataclass(frozen=True)
class Slot:
    start: datetime
    minutes: int
    capacity: int
    taken: int = 0

    @property
    def free(self) -> int:
        return self.capacity - self.taken


def closure_reason(session: Session, day: date) -> str | None:
    """Why ``day`` is closed (a public holiday, a staff closure such as 年末年始, the weekend), the
    most telling reason first, or ``None`` when open."""
    holiday = jpholiday.is_holiday_name(day)
    if holiday:
        return f"祝日({holiday})"
    closed = session.get(ClosedDay, day)
    if closed:
        return closed.reason
    return "土日" if day.weekday() >= 5 else None


def slots_on(session: Session, day: date) -> list[Slot]:
    """The slots the weekly pattern offers on ``day`` (none on a closed day)."""
    if closure_reason(session, day):
        return []
    rules = session.scalars(
        select(OpeningRule).where(OpeningRule.weekday == day.weekday()).order_by(OpeningRule.start_time)
    )
    return [
        Slot(datetime.combine(day, time.fromisoformat(rule.start_time)), rule.slot_minutes, rule.capacity)
        for rule in rules
    ]


def offered_slot(session: Session, start: datetime) -> Slot | None:
    """The slot starting exactly at ``start``, if the calendar offers one."""
    return next((s for s in slots_on(session, start.date()) if s.start == start), None)


def seats_taken(session: Session, place_id: str, kind_id: str, start: datetime) -> int:
    taken = session.scalar(
        select(func.count())
        .select_from(SlotSeat)
        .where(SlotSeat.place_id == place_id, SlotSeat.kind_id == kind_id, SlotSeat.slot_start == start)
    )
    return taken or 0


def free_slots(
    session: Session,
    place_id: str,
    kind_id: str,
    after: datetime,
    limit: int = 5,
    only_day: date | None = None,
) -> list[Slot]:
    """The next free slots after ``after`` (on ``only_day`` when given), earliest first."""
    earliest = max(after, now_tokyo() + MIN_LEAD)
    first_day = only_day or earliest.date()
    days = [only_day] if only_day else [first_day + timedelta(days=n) for n in range(SEARCH_DAYS)]
    found: list[Slot] = []
    for day in days:
        for slot in slots_on(session, day):
            if slot.start < earliest:
                continue
            taken = seats_taken(session, place_id, kind_id, slot.start)
            if taken < slot.capacity:
                found.append(Slot(slot.start, slot.minutes, slot.capacity, taken))
                if len(found) == limit:
                    return found
    return found


def seed_calendar(session: Session, calendar_file: Path) -> bool:
    """Load the calendar settings file into empty calendar tables; True when it did."""
    if session.scalar(select(func.count()).select_from(ConsultationKind)):
        return False
    settings = yaml.safe_load(calendar_file.read_text("utf-8"))
    for kind in settings["kinds"]:
        session.add(ConsultationKind(id=kind["id"], name=kind["name"], description=kind.get("description")))
    for place in settings["places"]:
        session.add(
            Place(
                id=place["id"],
                name=place["name"],
                address=place.get("address"),
                online=bool(place.get("online")),
                enabled=place.get("enabled", True),
            )
        )
    opening = settings["opening"]
    for weekday in opening["weekdays"]:
        for start in opening["times"]:
            session.add(
                OpeningRule(
                    weekday=weekday,
                    start_time=start,
                    slot_minutes=opening["slot_minutes"],
                    capacity=opening["capacity"],
                )
            )
    for closure in settings.get("closed_days", []):
        day = closure["from"]
        while day <= closure["to"]:
            session.add(ClosedDay(day=day, reason=closure["reason"]))
            day += timedelta(days=1)
    return True
