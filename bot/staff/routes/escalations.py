"""Escalation pages: the filtered list, and the detail page where staff work one to closed."""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from bot.core.db import with_retries
from bot.escalation.models import PRIORITIES, REASONS, STATUSES, Escalation
from bot.staff import escalations as work
from bot.staff.contact_view import shown_contact
from bot.staff.summary import summarize, topics_by_sender
from bot.staff.web import CurrentStaff, StaffRoute, redirect, render, run_step

router = APIRouter(route_class=StaffRoute)
LIST = "/staff/escalations"
NO_STORE = {"Cache-Control": "no-store"}


@router.get(LIST)
def escalation_list(request: Request, staff: CurrentStaff) -> HTMLResponse:
    filters = work.Filters.parse(dict(request.query_params), me=staff.staff.email)

    def read(session):
        rows, total = work.list_escalations(session, filters)
        return {
            "rows": rows,
            "topics": topics_by_sender(session, [e.sender_id for e in rows]),
            "total": total,
            "counts": work.open_counts(session),
            "names": work.staff_names(session),
            "version": work.list_version(session),
        }

    context = with_retries(read)
    pages = max(1, -(-context["total"] // work.PAGE_SIZE))
    query = {k: v for k, v in request.query_params.items() if k != "page"}
    return render(
        request,
        "escalations.html",
        {
            **context,
            "filters": filters,
            "pages": pages,
            "query": query,
            "status_filters": work.STATUS_FILTERS,
            "priorities": PRIORITIES,
            "reasons": REASONS,
            "statuses": STATUSES,
            "channels": work.CHANNELS,
        },
    )


def detail_page(request: Request, escalation_id: int, error: str = "", status: int = 200) -> HTMLResponse:
    def read(session):
        escalation = session.get(Escalation, escalation_id)
        if escalation is None:
            raise HTTPException(404)
        names = work.staff_names(session)
        staff = request.state.signed_in.staff
        target = f"escalation {escalation.id}"
        turns = work.transcript(session, escalation.sender_id)
        return {
            "e": escalation,
            "contact": shown_contact(
                session, staff, target, escalation.contact_phone, escalation.contact_email
            ),
            "turns": turns,
            "summary": summarize(session, escalation.sender_id, escalation.trigger_text, turns),
            "events": [
                (event, work.actor_label(event.actor, names))
                for event in work.history(session, escalation_id)
            ],
            "names": names,
            "assignable": work.active_staff(session),
            "version": work.detail_version(session, escalation),
        }

    context = with_retries(read)
    return render(
        request,
        "escalation.html",
        {
            **context,
            "error": error,
            "priorities": PRIORITIES,
            "reasons": REASONS,
            "statuses": STATUSES,
            "channels": work.CHANNELS,
            "actions": work.ACTIONS,
        },
        status=status,
    )


@router.get(LIST + "/version.json")
def list_version(_staff: CurrentStaff) -> JSONResponse:
    """What the list page polls to reload itself when an escalation is filed or changes."""
    return JSONResponse({"version": with_retries(work.list_version)}, headers=NO_STORE)


@router.get(LIST + "/{escalation_id}/version.json")
def detail_version(escalation_id: int, _staff: CurrentStaff) -> JSONResponse:
    """What the escalation page polls to show new messages and steps without a reload."""

    def read(session):
        escalation = session.get(Escalation, escalation_id)
        if escalation is None:
            raise HTTPException(404)
        return work.detail_version(session, escalation)

    return JSONResponse({"version": with_retries(read)}, headers=NO_STORE)


@router.get(LIST + "/{escalation_id}")
def escalation_detail(request: Request, escalation_id: int, _staff: CurrentStaff) -> HTMLResponse:
    return detail_page(request, escalation_id)


def _step(request: Request, escalation_id: int, step, done: str) -> Response:
    """Run one step; back to the detail page with a notice, or with the reason it was refused."""
    refusal = partial(detail_page, request, escalation_id, status=400)
    return run_step(step, work.EscalationError, refusal, redirect(f"{LIST}/{escalation_id}", done))


@router.post(LIST + "/{escalation_id}/assign")
def assign(
    request: Request, escalation_id: int, staff: CurrentStaff, assignee: Annotated[str, Form()] = ""
) -> Response:
    actor = staff.staff.email
    return _step(request, escalation_id, lambda s: work.assign(s, escalation_id, assignee, actor), "assigned")


@router.post(LIST + "/{escalation_id}/notes")
def add_note(
    request: Request, escalation_id: int, staff: CurrentStaff, note: Annotated[str, Form()] = ""
) -> Response:
    actor = staff.staff.email
    return _step(request, escalation_id, lambda s: work.add_note(s, escalation_id, note, actor), "note")


@router.post(LIST + "/{escalation_id}/start")
def start(request: Request, escalation_id: int, staff: CurrentStaff) -> Response:
    actor = staff.staff.email
    return _step(request, escalation_id, lambda s: work.start(s, escalation_id, actor), "started")


@router.post(LIST + "/{escalation_id}/close")
def close(
    request: Request, escalation_id: int, staff: CurrentStaff, resolution: Annotated[str, Form()] = ""
) -> Response:
    actor = staff.staff.email
    return _step(request, escalation_id, lambda s: work.close(s, escalation_id, resolution, actor), "closed")
