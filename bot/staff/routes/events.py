"""Seminars and events: staff list what is coming, add one (with a preview of what the bot says)
and remove one; the bot lists the events still ahead (bot/events/catalogue.py)."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException

from bot.core.clock import now_tokyo
from bot.core.db import with_retries
from bot.events import catalogue as work
from bot.events.models import Event
from bot.staff.web import CurrentStaff, StaffRoute, detached, form_values, redirect, render

router = APIRouter(route_class=StaffRoute)
LIST = "/staff/events"


def _page(
    request: Request, values: dict[str, Any], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    events = with_retries(lambda s: detached(s, work.upcoming(s, now_tokyo().date(), limit=None)))
    preview = None
    if values and not errors:
        preview = work.events_message([Event(**values, updated_by="")], [])["text"]
    context = {
        "events": events,
        "values": values,
        "errors": errors,
        "formats": work.FORMATS,
        "preview": preview,
    }
    return render(request, "events.html", {**context, "when": work.when}, status=status)


@router.get(LIST)
def event_list(request: Request, _staff: CurrentStaff) -> HTMLResponse:
    return _page(request, {}, {})


@router.post(LIST)
async def add_event(request: Request, staff: CurrentStaff) -> Response:
    form = await form_values(request)
    values, errors = work.validate(form)
    if errors or form.get("action") == "preview":
        return await to_thread.run_sync(_page, request, values, errors, 400 if errors else 200)
    actor = staff.staff.email
    await to_thread.run_sync(with_retries, lambda s: work.add(s, values, actor))
    return redirect(LIST, "event_added")


@router.post(LIST + "/{event_id}/delete")
async def remove_event(event_id: int, _staff: CurrentStaff) -> Response:
    try:
        await to_thread.run_sync(with_retries, lambda s: work.remove(s, event_id))
    except LookupError as error:
        raise HTTPException(404) from error
    return redirect(LIST, "event_removed")
