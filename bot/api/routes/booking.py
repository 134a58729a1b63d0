"""The visitor's booking as a calendar file (``/bookings/{number}.ics?key=...``)."""

from __future__ import annotations

from anyio import to_thread
from fastapi import APIRouter, HTTPException
from fastapi.responses import Response
from sqlalchemy import select

from bot.booking.ics import booking_ics
from bot.booking.models import Booking, Place
from bot.core.db import with_retries

router = APIRouter()


@router.get("/bookings/{number}.ics", include_in_schema=False)
async def ics(number: str, key: str = "") -> Response:
    """The booking as a calendar file, for the visitor holding its link."""

    def work(session) -> bytes | None:
        booking = session.scalar(select(Booking).where(Booking.number == number))
        if booking is None or not key or booking.access_key != key or booking.status != "booked":
            return None
        return booking_ics(booking, session.get(Place, booking.place_id))

    body = await to_thread.run_sync(with_retries, work)
    if body is None:
        raise HTTPException(404)
    headers = {"Content-Disposition": f'attachment; filename="{number}.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
