"""Booking pages: upcoming consultations, change or cancel one, and the slot settings (admin)."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from starlette.exceptions import HTTPException

from bot.booking.models import ConsultationKind, Place
from bot.core.clock import utcnow
from bot.core.db import with_retries
from bot.staff import bookings as work
from bot.staff.contact_view import shown_contact
from bot.staff.timefmt import WEEKDAYS
from bot.staff.web import AdminStaff, CurrentStaff, StaffRoute, form_values, redirect, render, run_step

router = APIRouter(route_class=StaffRoute)
LIST = "/staff/bookings"
SETTINGS = "/staff/slots"


def _places(session) -> dict[str, str]:
    return {p.id: p.name for p in session.scalars(select(Place).order_by(Place.id))}


@router.get(LIST)
def booking_list(request: Request, _staff: CurrentStaff, status: str = "", place: str = "") -> HTMLResponse:
    def read(session):
        return {
            "rows": work.upcoming(session, status, place, utcnow()),
            "places": _places(session),
            "on_closed_days": work.bookings_on_closed_days(session),
        }

    context = with_retries(read)
    return render(
        request,
        "bookings.html",
        {**context, "status": status, "place": place, "statuses": work.STATUSES},
    )


def _detail(request: Request, number: str, error: str = "", status: int = 200) -> HTMLResponse:
    def read(session):
        try:
            booking = work.booking_by_number(session, number)
        except LookupError as missing:
            raise HTTPException(404) from missing
        kind = session.get(ConsultationKind, booking.kind_id)
        place = session.get(Place, booking.place_id)
        staff = request.state.signed_in.staff
        return {
            "b": booking,
            "contact": shown_contact(
                session, staff, f"booking {booking.number}", booking.phone, booking.email
            ),
            "kind": kind.name if kind else booking.kind_id,
            "place": place.name if place else booking.place_id,
            "choices": work.slot_choices(session, booking) if booking.status == "booked" else [],
            "marks": work.marks(booking, utcnow()),
        }

    context = {**with_retries(read), "error": error, "statuses": work.STATUSES}
    return render(request, "booking.html", context, status=status)


@router.get(LIST + "/{number}")
def booking_detail(request: Request, number: str, _staff: CurrentStaff) -> HTMLResponse:
    return _detail(request, number)


def _booking_step(request: Request, number: str, step, done: str) -> Response:
    try:
        refused = with_retries(step)
    except LookupError as error:
        raise HTTPException(404) from error
    if refused:
        return _detail(request, number, refused, status=409)
    return redirect(f"{LIST}/{number}", done)


@router.post(LIST + "/{number}/change")
def change(
    request: Request, number: str, staff: CurrentStaff, slot_start: Annotated[str, Form()] = ""
) -> Response:
    try:
        new_start = datetime.fromisoformat(slot_start)
    except ValueError:
        return _detail(request, number, "変更先の日時を選んでください。", status=400)
    actor = staff.staff.email
    return _booking_step(
        request, number, lambda s: work.staff_change(s, number, new_start, actor), "booking_changed"
    )


@router.post(LIST + "/{number}/cancel")
def cancel(request: Request, number: str, staff: CurrentStaff) -> Response:
    actor = staff.staff.email
    return _booking_step(request, number, lambda s: work.staff_cancel(s, number, actor), "booking_cancelled")


# --- slot settings (admin) ---------------------------------------------------------------


def _settings_page(request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    def read(session):
        return {"pattern": work.weekly_pattern(session), "closed": work.closed_days(session)}

    context = {**with_retries(read), "error": error, "weekdays": WEEKDAYS, "days": work.BUSINESS_DAYS}
    return render(request, "booking_settings.html", context, status=status)


@router.get(SETTINGS)
def settings_page(request: Request, _admin: AdminStaff) -> HTMLResponse:
    return _settings_page(request)


def _setting_step(request: Request, step) -> Response:
    refusal = partial(_settings_page, request, status=400)
    return run_step(step, work.SettingsError, refusal, redirect(SETTINGS, "saved"))


@router.post(SETTINGS + "/pattern")
async def save_pattern(request: Request, admin: AdminStaff) -> Response:
    form = await form_values(request)
    actor = admin.staff.email
    return await to_thread.run_sync(_setting_step, request, lambda s: work.save_pattern(s, form, actor))


@router.post(SETTINGS + "/closed-days")
def add_closed_day(
    request: Request,
    admin: AdminStaff,
    day: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    actor = admin.staff.email
    return _setting_step(request, lambda s: work.add_closed_day(s, day, reason, actor))


@router.post(SETTINGS + "/closed-days/{day}/delete")
def delete_closed_day(request: Request, day: str, admin: AdminStaff) -> Response:
    actor = admin.staff.email
    return _setting_step(request, lambda s: work.delete_closed_day(s, day, actor))
