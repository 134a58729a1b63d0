"""The website channel: the demo page, the embeddable chat widget and a visitor's history."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from time import monotonic
from typing import Any

import anyio
import jinja2
from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response, StreamingResponse
from sqlalchemy.exc import SQLAlchemyError

from bot.api.errors import error_response
from bot.api.routes.chat import _SENDER_ID as SENDER_ID_PATTERN
from bot.conversation.messages import bot_message
from bot.core.config import get_settings
from bot.core.db import with_retries
from bot.escalation import service as handoff
from bot.privacy.forget import FORGET_UNAVAILABLE, FORGOTTEN, forget_everywhere
from bot.services import transcript
from bot.services.visitor_input import InputError, read_json_object

logger = logging.getLogger(__name__)
router = APIRouter()

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(STATIC.parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)
WIDGET_CACHE = "public, max-age=300"
# The demo page runs no inline script; the widget adds its own <style> inside its shadow root.
DEMO_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
WEB_PREFIX = "web-"  # only website conversations can be read back through this channel
INVALID_SENDER = "会話を特定できませんでした。お手数ですが、ページを再読み込みしてください。"
HISTORY_UNAVAILABLE = (
    "申し訳ありません。ただいま会話の履歴を読み込めません。少し時間をおいて、もう一度お試しください。"
)


@router.get("/", include_in_schema=False)
async def demo_page() -> FileResponse:
    """A demo page of the center's website with the widget on it."""
    headers = {"Cache-Control": WIDGET_CACHE, "Content-Security-Policy": DEMO_POLICY}
    return FileResponse(STATIC / "demo.html", media_type="text/html; charset=utf-8", headers=headers)


@router.get("/privacy", include_in_schema=False)
async def privacy_notice() -> HTMLResponse:
    """What the chat keeps, why and how long (linked from the widget), with today's settings."""
    settings = get_settings()
    page = TEMPLATES.get_template("privacy.html").render(
        transcript_days=settings.transcript_retention_days, booking_days=settings.booking_retention_days
    )
    headers = {"Cache-Control": WIDGET_CACHE, "Content-Security-Policy": DEMO_POLICY}
    return HTMLResponse(page, headers=headers)


@router.get("/widget.js", include_in_schema=False)
async def widget_script() -> FileResponse:
    """The embeddable widget: ``<script src=".../widget.js" defer></script>``."""
    headers = {"Cache-Control": WIDGET_CACHE, "X-Content-Type-Options": "nosniff"}
    return FileResponse(STATIC / "widget.js", media_type="text/javascript; charset=utf-8", headers=headers)


def _as_utc(created_at: str) -> str:
    """An ISO timestamp with its offset (the store keeps UTC, SQLite drops the zone)."""
    moment = datetime.fromisoformat(created_at)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def _web_history(sender_id: str) -> list[dict[str, Any]]:
    """The turns of a website conversation, oldest first; empty for any other channel's id."""
    if not sender_id.startswith(WEB_PREFIX):
        return []
    return [{**turn, "created_at": _as_utc(turn["created_at"])} for turn in transcript.transcript(sender_id)]


@router.post("/api/chat/forget")
async def forget_chat(request: Request) -> JSONResponse:
    """The visitor deletes their own conversation (the widget's 「この会話を削除」): 200 with a
    message, and the widget starts a new conversation."""
    try:
        body = await read_json_object(request, get_settings().max_body_bytes)
    except InputError:
        body = {}
    sender_id = body.get("sender_id")
    if not isinstance(sender_id, str) or not SENDER_ID_PATTERN.fullmatch(sender_id):
        return error_response(400, "invalid_sender_id", INVALID_SENDER)
    try:
        await to_thread.run_sync(forget_everywhere, sender_id)
    except SQLAlchemyError:
        logger.exception("could not delete the conversation of %s", sender_id)
        return error_response(503, "forget_unavailable", FORGET_UNAVAILABLE)
    return JSONResponse({"sender_id": sender_id, "messages": [bot_message(FORGOTTEN)]})


STREAM_SECONDS = 50.0  # then the browser reconnects (EventSource), well before idle timeouts
POLL_SECONDS = 1.0
KEEP_ALIVE_SECONDS = 15.0


async def _live_events(request: Request, sender_id: str, seen: int | None) -> AsyncIterator[str]:
    """``message`` events (with the newest id) when staff write in the conversation; the widget
    then reads its history again, so nothing is lost across reconnects, workers or restarts."""
    yield f"retry: {int(POLL_SECONDS * 1000)}\n\n"
    started = quiet_since = monotonic()
    while monotonic() - started < STREAM_SECONDS and not await request.is_disconnected():
        try:
            newest = await to_thread.run_sync(transcript.newest_live_message, sender_id)
        except SQLAlchemyError:
            newest = seen or 0
        if seen is None or newest > seen:
            event = "ready" if seen is None else "message"
            seen = newest
            quiet_since = monotonic()
            yield f"id: {newest}\nevent: {event}\ndata: {newest}\n\n"
        elif monotonic() - quiet_since > KEEP_ALIVE_SECONDS:
            quiet_since = monotonic()
            yield ": keep-alive\n\n"
        await anyio.sleep(POLL_SECONDS)


def _last_event_id(request: Request) -> int | None:
    value = request.headers.get("last-event-id", "")
    return int(value) if value.isdigit() else None


@router.get("/api/chat/events")
async def chat_events(request: Request, sender_id: str = "") -> Response:
    """Server-sent events: a staff member wrote in this visitor's conversation."""
    if not SENDER_ID_PATTERN.fullmatch(sender_id):
        return error_response(400, "invalid_sender_id", INVALID_SENDER)
    stream = _live_events(request, sender_id, _last_event_id(request))
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(stream, media_type="text/event-stream", headers=headers)


@router.get("/api/chat/history")
async def chat_history(sender_id: str = "") -> JSONResponse:
    """A visitor's conversation so far, so the widget survives a reload or a second tab."""
    if not SENDER_ID_PATTERN.fullmatch(sender_id):
        return error_response(400, "invalid_sender_id", INVALID_SENDER)
    try:
        messages = await to_thread.run_sync(_web_history, sender_id)
        answering = await to_thread.run_sync(with_retries, lambda s: handoff.staff_answering(s, sender_id))
    except SQLAlchemyError:
        logger.exception("could not read the history of %s", sender_id)
        return error_response(503, "history_unavailable", HISTORY_UNAVAILABLE)
    # staff_answering (added to the contract): a staff member answers in this conversation now.
    body = {"sender_id": sender_id, "messages": messages, "staff_answering": answering}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})
