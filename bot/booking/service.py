"""Booking rules in one place: no double booking (a unique seat per slot, enforced by the
database), nothing in the past, on a closed day or beyond the booking horizon, a cap on open
bookings per contact and per conversation (counted one request at a time: ``_lock_holders``),
and cancel or change only with the booking number plus the contact given, a few tries an hour."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.booking import notices
from bot.booking.calendar import closure_reason, offered_slot
from bot.booking.models import Booking, BookingHolder, CancelAttempt, ConsultationKind, Place, SlotSeat
from bot.core.clock import now_tokyo, utcnow
from bot.core.config import get_settings
from bot.core.db import rows_changed
from bot.models import Conversation
from bot.notify import mail
from bot.privacy import held
from bot.reading import booking_number
from bot.reading.contact import Contact, parse_contact


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
    return booking_number.random_code()


def _check_slot(session: Session, kind_id: str, place_id: str, start: datetime) -> int:
    """The slot's length in minutes, or a BookingError saying why it cannot be booked."""
    kind, place = session.get(ConsultationKind, kind_id), session.get(Place, place_id)
    if kind is None or place is None or not (kind.enabled and place.enabled):
        raise BookingError("unknown_option")
    if start <= now_tokyo():
        raise BookingError("past")
    if start > horizon():
        raise BookingError("too_far")
    if closure_reason(session, start.date()):
        raise BookingError("closed_day")
    slot = offered_slot(session, start)
    if slot is None:
        raise BookingError("no_such_slot")
    return slot.minutes


def horizon() -> datetime:
    """The last moment a booking may be made for (``CHIZAI_BOOKING_HORIZON_DAYS`` from now)."""
    return now_tokyo() + timedelta(days=get_settings().booking_horizon_days)


def may_book_more(session: Session, contact: Contact) -> bool:
    """Whether ``contact`` holds fewer open bookings than allowed (asked early in the form)."""
    settings = get_settings()
    return _open_bookings_for(session, contact) < settings.limit(settings.open_bookings_per_contact)


def _open_bookings_ahead(session: Session, *held_by: ColumnElement[bool]) -> int:
    """How many bookings still ahead the holder ``held_by`` selects has open."""
    query = select(func.count()).select_from(Booking)
    return (
        session.scalar(query.where(Booking.status == "booked", Booking.slot_start > now_tokyo(), *held_by))
        or 0
    )


def _may_book_more_here(session: Session, sender_id: str | None) -> bool:
    """Whether the conversation holds fewer open bookings than allowed."""
    if sender_id is None:
        return True
    settings = get_settings()
    count = _open_bookings_ahead(session, Booking.sender_id == sender_id)
    return count < settings.limit(settings.open_bookings_per_sender)


def _address_of(session: Session, sender_id: str | None) -> str | None:
    """The digest of the client address the conversation last came from."""
    if sender_id is None:
        return None
    return session.scalar(select(Conversation.address_key).where(Conversation.sender_id == sender_id))


def _may_book_more_from(session: Session, address: str | None) -> bool:
    """Whether the conversations from one client address hold fewer open bookings than allowed."""
    if address is None:
        return True
    settings = get_settings()
    senders = select(Conversation.sender_id).where(Conversation.address_key == address)
    count = _open_bookings_ahead(session, Booking.sender_id.in_(senders))
    return count < settings.limit(settings.open_bookings_per_address)


def _holder_keys(request: BookingRequest, address: str | None) -> list[str]:
    holders = [
        f"phone:{request.contact.phone}",
        f"email:{request.contact.email}",
        f"sender:{request.sender_id}",
        f"address:{address}",
    ]
    named = [h for h in holders if not h.endswith(":None")]
    return sorted(hashlib.sha256(h.encode()).hexdigest() for h in named)


def _lock_holders(session: Session, keys: Iterable[str]) -> None:
    """Lock the holders' rows (in one order, so two requests never wait on each other): a second
    request for the same contact or conversation waits until the first is committed, and then
    counts its booking. A row lock on PostgreSQL; on SQLite, the write lock the update takes."""
    for key in keys:
        try:
            with session.begin_nested():
                session.add(BookingHolder(key=key))
        except IntegrityError:
            pass  # the holder has booked before
        session.execute(update(BookingHolder).where(BookingHolder.key == key).values(touched_at=utcnow()))


def forget_idle_holders(session: Session, now: datetime | None = None) -> int:
    """Holders' rows are needed only while a booking is made: those idle for a day go."""
    cutoff = (now or utcnow()) - timedelta(days=1)
    return rows_changed(session.execute(delete(BookingHolder).where(BookingHolder.touched_at < cutoff)))


def _open_bookings_for(session: Session, contact: Contact) -> int:
    matches = [c for c in (Booking.phone == contact.phone if contact.phone else None,
                           Booking.email == contact.email if contact.email else None) if c is not None]  # fmt: skip
    return _open_bookings_ahead(session, or_(*matches))


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
    address = _address_of(session, request.sender_id)
    _lock_holders(session, _holder_keys(request, address))
    minutes = _check_slot(session, request.kind_id, request.place_id, request.slot_start)
    if not may_book_more(session, request.contact):
        raise BookingError("too_many_open_bookings")
    if not _may_book_more_here(session, request.sender_id):
        raise BookingError("too_many_for_conversation")
    if not _may_book_more_from(session, address):
        raise BookingError("too_many_for_address")
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


def may_try_cancel(session: Session, sender_id: str, number: str) -> bool:
    """Whether this conversation, and anyone for this booking number, has tries left this hour
    to give a number with its contact (guessing them is slow)."""
    settings = get_settings()
    limit, since = settings.limit(settings.cancel_attempts_per_hour), utcnow() - timedelta(hours=1)
    recent = select(func.count()).select_from(CancelAttempt).where(CancelAttempt.attempted_at >= since)
    by_sender = session.scalar(recent.where(CancelAttempt.sender_id == sender_id)) or 0
    by_number = session.scalar(recent.where(CancelAttempt.number == number)) or 0
    return by_sender < limit and by_number < limit


def record_cancel_try(session: Session, sender_id: str, number: str, matched: bool) -> None:
    session.add(CancelAttempt(sender_id=sender_id, number=number, matched=matched))


def forget_cancel_tries(session: Session, now: datetime | None = None) -> int:
    """Tries older than a day are no longer counted: they go."""
    cutoff = (now or utcnow()) - timedelta(days=1)
    return rows_changed(session.execute(delete(CancelAttempt).where(CancelAttempt.attempted_at < cutoff)))


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
    """Cancel and free the seat; the booking's address is told by e-mail (when one was given and
    mail is set up), then its personal fields go at once (its number, slot and status stay)."""
    booking.status = "cancelled"
    session.execute(delete(SlotSeat).where(SlotSeat.booking_id == booking.id))
    mail.queue(session, booking.email, *notices.cancelled_mail(booking.number, booking.slot_start))
    _forget_personal_fields(booking)


def change_booking(session: Session, booking: Booking, new_start: datetime) -> Booking:
    """Move the booking to ``new_start``, or raise BookingError and keep it, and its seat, where it
    was (the old seat is freed inside a savepoint that is rolled back if the new one is full)."""
    minutes = _check_slot(session, booking.kind_id, booking.place_id, new_start)
    with session.begin_nested():
        old_seat = session.scalar(select(SlotSeat).where(SlotSeat.booking_id == booking.id))
        if old_seat is not None:
            session.delete(old_seat)
            session.flush()
        booking.slot_start, booking.slot_minutes = new_start, minutes
        _claim_seat(session, booking)
    mail.queue(session, booking.email, *notices.changed_mail(booking.number, new_start))
    return booking


def purge_personal_data(session: Session, retention_days: int) -> int:
    """Remove personal fields from bookings whose slot ended ``retention_days`` ago; returns how many."""
    cutoff = now_tokyo() - timedelta(days=retention_days)
    bookings = session.scalars(
        select(Booking).where(Booking.slot_start < cutoff, Booking.purged_at.is_(None))
    )
    count = 0
    for booking in bookings:
        _forget_personal_fields(booking)
        booking.sender_id = None  # the conversation's link goes with its retention period
        count += 1
    return count


def _forget_personal_fields(booking: Booking) -> None:
    """The visitor's name, company, contact and matter go; the booking's number, slot, status and
    the conversation it came from stay."""
    booking.company = booking.person_name = booking.phone = booking.email = booking.description = None
    booking.purged_at = utcnow()
