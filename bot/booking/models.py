"""Booking tables: staff-configurable calendar and the bookings themselves."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.clock import utcnow
from bot.models import Base


class ConsultationKind(Base):
    __tablename__ = "consultation_kinds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class Place(Base):
    __tablename__ = "places"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class OpeningRule(Base):
    """Slots offered every ``weekday`` at ``start_time`` (HH:MM, Japan time)."""

    __tablename__ = "opening_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer)
    start_time: Mapped[str] = mapped_column(String(5))
    slot_minutes: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)


class ClosedDay(Base):
    __tablename__ = "closed_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    reason: Mapped[str] = mapped_column(String(100))


class Booking(Base):
    """A visitor's booking; personal fields are purged some days after the slot."""

    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    access_key: Mapped[str] = mapped_column(String(64))
    sender_id: Mapped[str | None] = mapped_column(String(128))
    kind_id: Mapped[str] = mapped_column(ForeignKey("consultation_kinds.id"))
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id"))
    # Slot times are Tokyo wall-clock times (naive), as visitors and staff read them.
    slot_start: Mapped[datetime] = mapped_column(DateTime, index=True)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="booked", index=True)
    topic: Mapped[str | None] = mapped_column(String(32))
    company: Mapped[str | None] = mapped_column(String(200))
    person_name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SlotSeat(Base):
    """One seat of a slot held by one booking: the unique key makes overbooking impossible."""

    __tablename__ = "slot_seats"
    __table_args__ = (UniqueConstraint("place_id", "kind_id", "slot_start", "seat"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    place_id: Mapped[str] = mapped_column(String(32))
    kind_id: Mapped[str] = mapped_column(String(32))
    slot_start: Mapped[datetime] = mapped_column(DateTime)
    seat: Mapped[int] = mapped_column(Integer)
    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), unique=True)


class BookingHolder(Base):
    """A row per contact and per conversation that books: a booking locks its holders' rows
    first, so two requests for the same holder are counted against its limit one after the other
    (bot/booking/service.py). The key is a hash: no contact detail is kept here."""

    __tablename__ = "booking_holders"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    touched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class CancelAttempt(Base):
    """One check of a booking number with a contact, for the limit on guessing them."""

    __tablename__ = "cancel_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    number: Mapped[str] = mapped_column(String(16), index=True)
    matched: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
