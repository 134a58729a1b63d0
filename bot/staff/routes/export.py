"""CSV downloads of the escalation and booking lists, with the filters of their pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bot.core.clock import now_tokyo
from bot.core.db import with_retries
from bot.staff import export
from bot.staff.escalations import Filters
from bot.staff.web import CurrentStaff, StaffRoute

router = APIRouter(route_class=StaffRoute)


def _download(body: bytes, name: str) -> Response:
    filename = f"{name}-{now_tokyo():%Y%m%d-%H%M}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get("/staff/escalations.csv")
def escalations_csv(request: Request, signed_in: CurrentStaff) -> Response:
    staff = signed_in.staff
    filters = Filters.parse(dict(request.query_params), me=staff.email)
    return _download(with_retries(lambda s: export.escalations_csv(s, filters, staff)), "escalations")


@router.get("/staff/bookings.csv")
def bookings_csv(signed_in: CurrentStaff, status: str = "", place: str = "") -> Response:
    staff = signed_in.staff
    return _download(with_retries(lambda s: export.bookings_csv(s, status, place, staff)), "bookings")
