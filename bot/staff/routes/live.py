"""The live hand-off from the staff side: staffed hours (admin), going on and off duty, writing
to a visitor in the chat, and handing the conversation back to the bot."""

from __future__ import annotations

import logging
from datetime import date
from functools import partial
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from bot.channels.line import LineSender, SendFailed, to_line_messages
from bot.conversation.messages import BotMessage
from bot.core.clock import now_tokyo
from bot.core.db import with_retries
from bot.escalation import live
from bot.staff.escalations import get_escalation
from bot.staff.routes.escalations import detail_page
from bot.staff.timefmt import WEEKDAYS
from bot.staff.web import AdminStaff, CurrentStaff, StaffRoute, redirect, render, run_step
from bot.staffing import duty, hours

logger = logging.getLogger(__name__)
router = APIRouter(route_class=StaffRoute)
HOURS = "/staff/hours"
ESCALATIONS = "/staff/escalations"


def _hours_page(request: Request, error: str = "", status: int = 200) -> HTMLResponse:
    def read(session: Session) -> dict[str, object]:
        return {
            "pattern": hours.pattern(session),
            "closed": hours.closed_days(session, now_tokyo().date()),
            "described": hours.describe(session),
            "on_duty": duty.on_duty(session),
            "staffed_now": hours.staffed_until(session, now_tokyo()) is not None,
        }

    context = {**with_retries(read), "error": error, "weekdays": WEEKDAYS}
    return render(request, "staffed_hours.html", context, status=status)


@router.get(HOURS)
def hours_page(request: Request, _staff: CurrentStaff) -> HTMLResponse:
    """Every staff member goes on and off duty here; admins also set the staffed hours."""
    return _hours_page(request)


def _hours_step(request: Request, step) -> Response:
    return run_step(
        step, hours.HoursError, partial(_hours_page, request, status=400), redirect(HOURS, "saved")
    )


@router.post(HOURS + "/pattern")
async def save_hours(request: Request, _admin: AdminStaff) -> Response:
    form = await request.form()
    rows = {
        day: (str(form.get(f"opens-{day}", "")).strip(), str(form.get(f"closes-{day}", "")).strip())
        for day in range(7)
    }
    staffed = {day: pair for day, pair in rows.items() if any(pair)}
    return await to_thread.run_sync(_hours_step, request, lambda s: hours.save_pattern(s, staffed))


@router.post(HOURS + "/closed-days")
def add_closed_day(
    request: Request,
    _admin: AdminStaff,
    day: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return _hours_page(request, "日付を選んでください。", status=400)
    return _hours_step(request, lambda s: hours.add_closed_day(s, parsed, reason))


@router.post(HOURS + "/closed-days/{day}/delete")
def remove_closed_day(request: Request, day: date, _admin: AdminStaff) -> Response:
    return _hours_step(request, lambda s: hours.remove_closed_day(s, day))


@router.post("/staff/duty")
def set_duty(request: Request, staff: CurrentStaff, on: Annotated[str, Form()] = "") -> Response:
    """Go on duty (until the end of the staffed period) or off duty."""
    email = staff.staff.email
    if on:
        refusal = partial(_hours_page, request, status=400)
        return run_step(
            lambda s: duty.go_on_duty(s, email), duty.DutyError, refusal, redirect(HOURS, "on_duty")
        )
    with_retries(lambda s: duty.go_off_duty(s, email))
    return redirect(HOURS, "off_duty")


async def _push(request: Request, sender_id: str, said: list[BotMessage]) -> bool:
    """Send what staff wrote to a LINE visitor by push (the web widget reads it from the
    database, where it is already); False when LINE could not be reached."""
    sender: LineSender | None = getattr(request.app.state, "line_sender", None)
    if sender is None:
        return False
    try:
        await sender.send(sender_id, None, to_line_messages(said))
    except SendFailed:
        logger.exception("a staff message to a LINE visitor could not be pushed")
        return False
    return True


async def _live_step(request: Request, escalation_id: int, step, done: str) -> Response:
    """Run a live step in a transaction; then a LINE visitor gets what it said by push."""
    said: list[BotMessage] = []
    line_user: list[str] = []

    def work(session: Session) -> None:
        said.clear()
        line_user.clear()
        escalation = get_escalation(session, escalation_id)
        if told := step(session, escalation):
            said.append(told)
        if escalation.channel == "line":
            line_user.append(escalation.sender_id)

    detail = f"{ESCALATIONS}/{escalation_id}"
    refusal = partial(detail_page, request, escalation_id, status=400)
    response = await to_thread.run_sync(run_step, work, live.LiveError, refusal, redirect(detail, done))
    if said and line_user and not await _push(request, line_user[0], said):
        return redirect(detail, "push_failed")
    return response


@router.post(ESCALATIONS + "/{escalation_id}/reply")
async def reply(
    request: Request, escalation_id: int, staff: CurrentStaff, text: Annotated[str, Form()] = ""
) -> Response:
    email, name = staff.staff.email, staff.staff.name
    return await _live_step(
        request, escalation_id, lambda s, e: live.reply(s, e, email, name, text), "replied"
    )


@router.post(ESCALATIONS + "/{escalation_id}/hand-back")
async def hand_back(request: Request, escalation_id: int, staff: CurrentStaff) -> Response:
    email = staff.staff.email
    return await _live_step(request, escalation_id, lambda s, e: live.hand_back(s, e, email), "handed_back")
