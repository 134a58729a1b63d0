"""Staffed hours: a weekly pattern and closed days of their own (apart from the booking slots),
and the staff members who have marked themselves on duty."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.clock import utcnow
from bot.models import Base


class StaffedPeriod(Base):
    """Staff can answer in the chat every ``weekday`` (0 = Monday) from ``opens`` to ``closes``
    (HH:MM, Japan time)."""

    __tablename__ = "staffed_periods"

    weekday: Mapped[int] = mapped_column(Integer, primary_key=True)
    opens: Mapped[str] = mapped_column(String(5))
    closes: Mapped[str] = mapped_column(String(5))


class StaffClosedDay(Base):
    """A day nobody answers in the chat although the pattern says so (年末年始, a training day)."""

    __tablename__ = "staff_closed_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(100))


class OnDuty(Base):
    """A staff member on duty in the chat until ``until`` (the end of that staffed period)."""

    __tablename__ = "staff_on_duty"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
