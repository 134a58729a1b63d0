"""A booking as an iCalendar file the visitor can add to their calendar."""

from __future__ import annotations

from datetime import timedelta

from icalendar import Calendar, Event

from bot.booking.models import Booking, Place
from bot.core.clock import TOKYO

CENTER = "東京都知的財産総合センター"


def booking_ics(booking: Booking, place: Place | None) -> bytes:
    """One VEVENT in Tokyo time, with the place and the booking number."""
    calendar = Calendar()
    calendar.add("prodid", "-//chizai-bot//booking//JA")
    calendar.add("version", "2.0")
    event = Event()
    start = booking.slot_start.replace(tzinfo=TOKYO)
    event.add("uid", f"{booking.number}@chizai-bot")
    event.add("summary", f"知的財産相談({CENTER})")
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=booking.slot_minutes))
    if place is not None:
        event.add("location", " ".join(p for p in (place.name, place.address) if p))
    event.add(
        "description",
        f"予約番号: {booking.number}\n変更・キャンセルはチャットで予約番号とご連絡先をお知らせください。",
    )
    calendar.add_component(event)
    return calendar.to_ical()
