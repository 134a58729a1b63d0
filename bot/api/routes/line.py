"""``POST /webhooks/line``: the LINE Messaging API webhook.

The signature is checked on the raw body before anything else. LINE gets its 200 at once; the
events are handled afterwards, as a background task (``bot.channels.line``). Without
``LINE_CHANNEL_SECRET`` and ``LINE_CHANNEL_ACCESS_TOKEN`` the route answers 503 and the rest of
the gateway runs as usual.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, BackgroundTasks, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from bot.api.deps import AssistantDep, SettingsDep
from bot.api.errors import error_response
from bot.channels.line import LineChannel, LineSender, line_sender, parse_events, signature_ok
from bot.conversation import replies
from bot.core.config import get_settings

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 1024 * 1024
NOT_CONFIGURED = "LINE との連携が設定されていないため、受け付けられません。"
BAD_SIGNATURE = "署名を確認できなかったため、受け付けられませんでした。"
TOO_LARGE = "送信内容が大きすぎるため、受け付けられませんでした。"


def _secret(value: SecretStr | None) -> str | None:
    """A configured secret, or None when it is unset or empty."""
    return (value.get_secret_value() or None) if value else None


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the connection pool to the Messaging API when the channel is configured."""
    settings = get_settings()
    token = _secret(settings.line_channel_access_token)
    app.state.line_sender = None
    if token is None or _secret(settings.line_channel_secret) is None:
        logger.warning("LINE channel off: LINE_CHANNEL_SECRET or LINE_CHANNEL_ACCESS_TOKEN is not set")
        yield
        return
    async with line_sender(settings.line_api_base_url, token) as sender:
        app.state.line_sender = sender
        yield


router = APIRouter(lifespan=lifespan)


async def _raw_body(request: Request) -> bytes | None:
    """The body exactly as sent, or None when it is larger than any LINE webhook."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_WEBHOOK_BYTES:
            return None
    return bytes(body)


@router.post("/webhooks/line")
async def line_webhook(
    request: Request, background: BackgroundTasks, assistant: AssistantDep, settings: SettingsDep
) -> JSONResponse:
    secret = _secret(settings.line_channel_secret)
    sender: LineSender | None = getattr(request.app.state, "line_sender", None)
    if secret is None or sender is None:
        return error_response(503, "line_not_configured", NOT_CONFIGURED)
    body = await _raw_body(request)
    if body is None:
        return error_response(413, "body_too_large", TOO_LARGE)
    if not signature_ok(secret, body, request.headers.get("x-line-signature")):
        logger.warning("LINE webhook refused: missing or wrong X-Line-Signature")
        return error_response(400, "invalid_signature", BAD_SIGNATURE)
    try:
        events = parse_events(body)
    except ValueError:
        return error_response(400, "invalid_request", replies.INVALID_REQUEST)
    channel = LineChannel(assistant, sender, settings.max_message_chars)
    background.add_task(channel.handle, events)
    return JSONResponse({"status": "ok"})
