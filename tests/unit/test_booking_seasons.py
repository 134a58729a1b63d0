"""「来週の水曜の午前」 in every week of the year that has a closed Wednesday: the bot says the day
is closed and offers the next open days, never a closed one (fixed clock, real database)."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from bot.booking.calendar import closure_reason, seed_calendar
from bot.booking.dialogue import ask
from bot.core.clock import TOKYO
from bot.core.config import get_settings
from bot.core.db import migrate, session_factory, with_retries

SLOTS = {"place": "akihabara", "consultation_kind": "general"}


@pytest.fixture
def calendar(settings_env):
    migrate()
    with_retries(lambda session: seed_calendar(session, get_settings().calendar_file))


def offered_days(today: date) -> tuple[str, list[date]]:
    morning = datetime(today.year, today.month, today.day, 10, 0, tzinfo=TOKYO)
    with time_machine.travel(morning, tick=False), session_factory()() as session:
        [offer] = ask(session, "web-season", "booking_slot", SLOTS, "来週の水曜の午前")
    days = [datetime.fromisoformat(b["payload"].split('"')[-2]).date() for b in offer["buttons"]]
    return offer["text"], days


def next_weeks_wednesday(today: date) -> date:
    return today - timedelta(days=today.weekday()) + timedelta(days=7 + 2)


@pytest.mark.parametrize(
    ("today", "closed", "reason"),
    [
        (date(2026, 12, 22), date(2026, 12, 30), "年末年始"),  # the week CI used to fail in
        (date(2027, 4, 28), date(2027, 5, 5), "こどもの日"),
        (date(2027, 8, 4), date(2027, 8, 11), "山の日"),
        (date(2027, 10, 27), date(2027, 11, 3), "文化の日"),
    ],
)
def test_a_closed_wednesday_next_week_is_said_so_and_later_open_days_are_offered(
    calendar, today, closed, reason
):
    assert next_weeks_wednesday(today) == closed
    text, days = offered_days(today)
    assert text.startswith(f"{closed.month}/{closed.day}(") and reason in text  # the same year: no year shown
    assert days and all(day > closed for day in days)
    with session_factory()() as session:
        assert all(closure_reason(session, day) is None for day in days)


@pytest.mark.parametrize("today", [date(2026, 12, 21) + timedelta(days=n) for n in range(7)])
def test_every_day_of_the_year_end_week_gets_open_slots_only(calendar, today):
    text, days = offered_days(today)
    assert days, text
    with session_factory()() as session:
        assert all(closure_reason(session, day) is None for day in days)
    assert all(day > today for day in days)
