"""Booking: the action server's steps (``/internal/booking/...``) and the visitor's ICS file."""

from __future__ import annotations

from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from bot.api.routes.internal import Reply, require_token
from bot.booking import dialogue
from bot.booking.ics import booking_ics
from bot.booking.models import Booking, Place
from bot.core.db import with_retries

internal = APIRouter(
    prefix="/internal/booking", dependencies=[Depends(require_token)], include_in_schema=False
)
public = APIRouter()

Text = Annotated[str, Field(max_length=2000)]


class FormState(BaseModel):
    sender_id: Annotated[str, Field(max_length=128)] = ""
    slots: dict[str, Any] = {}


class Question(FormState):
    slot: str
    text: Text = ""


class Answer(FormState):
    slot: str
    text: Text = ""
    entity: str | None = None


class Checked(BaseModel):
    value: str | None
    messages: list


class Submitted(Reply):
    booked: bool


class CancelRequest(BaseModel):
    number: Annotated[str, Field(max_length=40)]
    contact: Text
    choice: str = "cancel"
    new_slot: str | None = None
    text: Text = ""
    entity: str | None = None


async def _run(work):
    return await to_thread.run_sync(with_retries, work)


@internal.post("/ask")
async def ask(question: Question) -> Reply:
    return Reply(messages=await _run(lambda s: dialogue.ask(s, question.slot, question.slots, question.text)))


@internal.post("/check")
async def check(answer: Answer) -> Checked:
    step = await _run(lambda s: dialogue.check(s, answer.slot, answer.text, answer.entity, answer.slots))
    return Checked(value=step.value, messages=step.messages)


class Mentioned(BaseModel):
    values: dict[str, str]


class Said(BaseModel):
    text: Text = ""


@internal.post("/mentions")
async def mentions(said: Said) -> Mentioned:
    """The kind and place a message names in passing, to fill before they are asked."""
    return Mentioned(values=await _run(lambda s: dialogue.mentions(s, said.text)))


@internal.post("/summary")
async def summary(state: FormState) -> Reply:
    return Reply(messages=await _run(lambda s: dialogue.summary(s, state.slots)))


@internal.post("/submit")
async def submit(state: FormState, request: Request) -> Submitted:
    base_url = str(request.base_url).rstrip("/")
    booked, messages = await _run(lambda s: dialogue.submit(s, state.slots, state.sender_id, base_url))
    return Submitted(booked=booked, messages=messages)


@internal.post("/exists")
async def exists(cancel: CancelRequest) -> Checked:
    found = await _run(lambda s: dialogue.booking_exists(s, cancel.number, cancel.contact))
    return Checked(value="yes" if found else None, messages=[])


@internal.post("/new-slot/ask")
async def ask_new_slot(cancel: CancelRequest) -> Reply:
    return Reply(messages=await _run(lambda s: dialogue.ask_new_slot(s, cancel.number, cancel.contact)))


@internal.post("/new-slot/check")
async def check_new_slot(cancel: CancelRequest) -> Checked:
    step = await _run(
        lambda s: dialogue.check_new_slot(s, cancel.number, cancel.contact, cancel.text, cancel.entity)
    )
    return Checked(value=step.value, messages=step.messages)


@internal.post("/cancel")
async def cancel_or_change(cancel: CancelRequest) -> Reply:
    messages = await _run(
        lambda s: dialogue.cancel_or_change(s, cancel.number, cancel.contact, cancel.choice, cancel.new_slot)
    )
    return Reply(messages=messages)


@public.get("/bookings/{number}.ics", include_in_schema=False)
async def ics(number: str, key: str = "") -> Response:
    """The booking as a calendar file, for the visitor holding its link."""

    def work(session) -> bytes | None:
        booking = session.scalar(select(Booking).where(Booking.number == number))
        if booking is None or not key or booking.access_key != key or booking.status != "booked":
            return None
        return booking_ics(booking, session.get(Place, booking.place_id))

    body = await _run(work)
    if body is None:
        raise HTTPException(404)
    headers = {"Content-Disposition": f'attachment; filename="{number}.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
