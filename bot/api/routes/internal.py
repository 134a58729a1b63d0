"""The action server's door to the domain (``/internal/...``): answers, catalogue, hand-offs.

Rasa actions stay thin: they forward what the visitor said and relay the messages built
here. Every call carries the shared ``X-Internal-Token``.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Literal

from anyio import to_thread
from fastapi import APIRouter, Depends, Header, HTTPException
from pydantic import BaseModel, Field

from bot.api.deps import SettingsDep
from bot.core.db import with_retries
from bot.escalation import messages as handoff
from bot.escalation.service import finish_handoff, needs_contact, open_escalation
from bot.escalation.urgency import urgent_reason
from bot.services import answers
from bot.services.nothing_pending import Flow, implied_flow, what_can_i_do
from bot.text.contact import parse_contact
from bot.text.messages import BotMessage


async def require_token(
    settings: SettingsDep, token: Annotated[str | None, Header(alias="X-Internal-Token")] = None
) -> None:
    expected = settings.internal_token
    if expected is None:
        raise HTTPException(503)
    if token is None or not secrets.compare_digest(token, expected.get_secret_value()):
        raise HTTPException(403)


router = APIRouter(prefix="/internal", dependencies=[Depends(require_token)], include_in_schema=False)

SenderId = Annotated[str, Field(min_length=1, max_length=128)]
VisitorText = Annotated[str, Field(max_length=2000)]


class Reply(BaseModel):
    messages: list[BotMessage]
    needs_contact: bool = False


class NothingPendingReply(BaseModel):
    messages: list[BotMessage]
    flow: Flow | None = None


class VisitorTurn(BaseModel):
    text: VisitorText = ""


class TopicQuestion(BaseModel):
    sender_id: SenderId
    intent: str
    text: VisitorText = ""


class ProgramQuestion(BaseModel):
    sender_id: SenderId
    text: VisitorText = ""
    program: str | None = None


class HandoffRequest(BaseModel):
    sender_id: SenderId
    reason: Literal["requested_human", "repeated_fallback", "urgent"]
    text: VisitorText = ""


class ContactAnswer(BaseModel):
    sender_id: SenderId
    consent: bool
    name: Annotated[str, Field(max_length=100)] | None = None
    contact: VisitorText | None = None


class ContactCheck(BaseModel):
    text: VisitorText


class ContactResult(BaseModel):
    valid: bool
    phone: str | None = None
    email: str | None = None


def _handoff_reply(sender_id: str, reason: str, text: str, before: list[BotMessage]) -> Reply:
    def work(session) -> Reply:
        escalation = open_escalation(session, sender_id, reason, text or None)
        if not needs_contact(escalation):
            escalation.bot_paused = True
            return Reply(messages=[*before, *handoff.opened(escalation), *handoff.finished(escalation)])
        return Reply(messages=[*before, *handoff.opened(escalation)], needs_contact=True)

    return with_retries(work)


@router.post("/answers/topic")
async def topic_answer(question: TopicQuestion) -> Reply:
    """The FAQ answer for a topic question; an urgent matter is also handed to staff."""
    messages = await to_thread.run_sync(answers.topic_answer, question.intent, question.text)
    if urgent_reason(question.text):
        return await to_thread.run_sync(_handoff_reply, question.sender_id, "urgent", question.text, messages)
    return Reply(messages=messages)


@router.post("/answers/program")
async def program_answer(question: ProgramQuestion) -> Reply:
    """A program's card, or a choice between the programs the question could mean."""
    messages = await to_thread.run_sync(answers.program_answer, question.text, question.program)
    return Reply(messages=messages)


@router.post("/answers/nothing-pending")
def nothing_pending(turn: VisitorTurn) -> NothingPendingReply:
    """A yes, no or bare answer when nothing was asked: the flow its data implies, or the menu."""
    flow = implied_flow(turn.text)
    return NothingPendingReply(messages=[] if flow else what_can_i_do(), flow=flow)


@router.post("/escalations")
async def escalate(request: HandoffRequest) -> Reply:
    """Hand the conversation to staff and tell the visitor what happens next."""
    return await to_thread.run_sync(_handoff_reply, request.sender_id, request.reason, request.text, [])


@router.post("/escalations/contact")
async def give_contact(answer: ContactAnswer) -> Reply:
    """Store the contact the visitor agreed to give (or their refusal) and pause the bot."""
    contact = parse_contact(answer.contact or "") if answer.consent else None

    def work(session) -> list[BotMessage]:
        escalation = finish_handoff(session, answer.sender_id, contact, answer.name)
        return handoff.finished(escalation) if escalation else []

    return Reply(messages=await to_thread.run_sync(with_retries, work))


@router.post("/contact/check")
def check_contact(check: ContactCheck) -> ContactResult:
    """Whether ``text`` holds a valid phone number or e-mail address, normalised."""
    contact = parse_contact(check.text)
    if contact is None:
        return ContactResult(valid=False)
    return ContactResult(valid=True, phone=contact.phone, email=contact.email)
