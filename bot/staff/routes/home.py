"""The dashboard's start page, and a signed-in-only 404 for every other path under /staff/."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy import func, select
from starlette.exceptions import HTTPException

from bot.booking.models import Booking
from bot.core.clock import now_tokyo
from bot.core.db import with_retries
from bot.staff import analytics, escalations
from bot.staff.web import HOME_PATH, CurrentStaff, StaffRoute, render

router = APIRouter(route_class=StaffRoute)


@router.get(HOME_PATH)
def home(request: Request, _staff: CurrentStaff) -> HTMLResponse:
    def work(session):
        today = datetime.combine(now_tokyo().date(), time())
        week = session.scalar(
            select(func.count())
            .select_from(Booking)
            .where(
                Booking.status == "booked",
                Booking.slot_start >= today,
                Booking.slot_start < today + timedelta(days=7),
            )
        )
        urgent = escalations.list_escalations(session, escalations.Filters(priority="high"))[0][:5]
        return {
            "counts": escalations.open_counts(session),
            "bookings_week": week or 0,
            "unlabelled": len(analytics.not_understood(session)),
            "urgent": urgent,
        }

    return render(request, "home.html", with_retries(work))


@router.get("/staff/{rest:path}")
def not_found(_staff: CurrentStaff) -> HTMLResponse:
    raise HTTPException(404)
