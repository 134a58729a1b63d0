"""Booking rules in one place: no double booking (a unique seat per slot, enforced by the
database), nothing in the past or on a closed day, a cap on open bookings per contact,
and cancel or change only with the booking number plus the contact given."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.booking.calendar import closure_reason, offered_slot
from bot.booking.models import Booking, ConsultationKind, Place, SlotSeat
from bot.core.clock import now_tokyo, utcnow
from bot.privacy import held
from bot.reading import booking_number
from bot.reading.contact import Contact, parse_contact

MAX_OPEN_BOOKINGS_PER_CONTACT = 2


class BookingError(Exception):
    """A booking rule refused the request; ``code`` says which."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class BookingRequest:
    kind_id: str
    place_id: str
    slot_start: datetime
    contact: Contact
    topic: str | None = None
    company: str | None = None
    person_name: str | None = None
    description: str | None = None
    sender_id: str | None = None


def new_number() -> str:
    """A booking number that reveals nothing (not sequential): ``CZ-7K3M9P``."""
    return booking_number.PREFIX + "".join(
        secrets.choice(booking_number.ALPHABET) for _ in range(booking_number.LENGTH)
    )


def _check_slot(session: Session, kind_id: str, place_id: str, start: datetime) -> int:
    """The slot's length in minutes, or a BookingError saying why it cannot be booked."""
    kind, place = session.get(ConsultationKind, kind_id), session.get(Place, place_id)
    if kind is None or place is None or not (kind.enabled and place.enabled):
        raise BookingError("unknown_option")
    if start <= now_tokyo():
        raise BookingError("past")
    if closure_reason(session, start.date()):
        raise BookingError("closed_day")
    slot = offered_slot(session, start)
    if slot is None:
        raise BookingError("no_such_slot")
    return slot.minutes


def may_book_more(session: Session, contact: Contact) -> bool:
    """Whether ``contact`` holds fewer open bookings than allowed (asked early in the form)."""
    return _open_bookings_for(session, contact) < MAX_OPEN_BOOKINGS_PER_CONTACT


def _open_bookings_for(session: Session, contact: Contact) -> int:
    matches = [c for c in (Booking.phone == contact.phone if contact.phone else None,
                           Booking.email == contact.email if contact.email else None) if c is not None]  # fmt: skip
    rows = session.scalars(
        select(Booking.id).where(Booking.status == "booked", Booking.slot_start > now_tokyo(), or_(*matches))
    )
    return len(rows.all())


def _claim_seat(session: Session, booking: Booking) -> None:
    """Take a free seat of the booking's slot; the unique key settles races between requests."""
    slot = offered_slot(session, booking.slot_start)
    for seat in range(1, (slot.capacity if slot else 0) + 1):
        try:
            with session.begin_nested():
                session.add(
                    SlotSeat(
                        place_id=booking.place_id,
                        kind_id=booking.kind_id,
                        slot_start=booking.slot_start,
                        seat=seat,
                        booking_id=booking.id,
                    )
                )
            return
        except IntegrityError:
            continue
    raise BookingError("slot_full")


def create_booking(session: Session, request: BookingRequest) -> Booking:
    """Book a seat in the requested slot, or raise BookingError."""
    minutes = _check_slot(session, request.kind_id, request.place_id, request.slot_start)
    if not may_book_more(session, request.contact):
        raise BookingError("too_many_open_bookings")
    booking = Booking(
        number=new_number(),
        access_key=secrets.token_urlsafe(24),
        sender_id=request.sender_id,
        kind_id=request.kind_id,
        place_id=request.place_id,
        slot_start=request.slot_start,
        slot_minutes=minutes,
        topic=request.topic,
        company=request.company,
        person_name=request.person_name,
        phone=request.contact.phone,
        email=request.contact.email,
        description=request.description,
    )
    session.add(booking)
    session.flush()
    _claim_seat(session, booking)
    if request.sender_id:
        held.release(session, request.sender_id)  # the booking keeps the contact now
    return booking


def find_booking(session: Session, number: str, contact_text: str) -> Booking | None:
    """The open booking with this number AND this contact; ``None`` otherwise (no hint which)."""
    contact = parse_contact(contact_text)
    read = booking_number.read_booking_number(number)
    booking = session.scalar(select(Booking).where(Booking.number == read)) if read else None
    if booking is None or contact is None or booking.status != "booked":
        return None
    if (contact.phone and contact.phone == booking.phone) or (
        contact.email and contact.email == booking.email
    ):
        return booking
    return None


def own_open_bookings(session: Session, sender_id: str, now: datetime) -> list[Booking]:
    """The open bookings this conversation made itself (its confirmation was shown in it), still ahead."""
    return list(
        session.scalars(
            select(Booking)
            .where(Booking.sender_id == sender_id, Booking.status == "booked", Booking.slot_start >= now)
            .order_by(Booking.slot_start)
        )
    )


def cancel_booking(session: Session, booking: Booking) -> None:
    """Cancel and free the seat."""
    booking.status = "cancelled"
    session.execute(delete(SlotSeat).where(SlotSeat.booking_id == booking.id))


def change_booking(session: Session, booking: Booking, new_start: datetime) -> Booking:
    """Move the booking to ``new_start`` (the old seat is freed only if the new one is taken)."""
    minutes = _check_slot(session, booking.kind_id, booking.place_id, new_start)
    old_seat = session.scalar(select(SlotSeat).where(SlotSeat.booking_id == booking.id))
    if old_seat is not None:
        session.delete(old_seat)
        session.flush()
    booking.slot_start, booking.slot_minutes = new_start, minutes
    _claim_seat(session, booking)
    return booking


def purge_personal_data(session: Session, retention_days: int) -> int:
    """Remove personal fields from bookings whose slot ended ``retention_days`` ago; returns how many."""
    cutoff = now_tokyo() - timedelta(days=retention_days)
    bookings = session.scalars(
        select(Booking).where(Booking.slot_start < cutoff, Booking.purged_at.is_(None))
    )
    count = 0
    for booking in bookings:
        booking.company = booking.person_name = booking.phone = booking.email = None
        booking.description = booking.sender_id = None
        booking.purged_at = utcnow()
        count += 1
    return count
