"""``POST /api/chat``: one visitor turn through the assistant; always 200 with messages."""

from __future__ import annotations

import re
import uuid
from typing import Any

from fastapi import APIRouter, Request

from bot.api.deps import AssistantDep, SettingsDep
from bot.api.openapi import text_body
from bot.services.visitor_input import InputError, check_text, read_json_object

router = APIRouter()
# Web sender ids carry the ``web-`` prefix, so a web visitor can never write into another
# channel's conversation (a LINE user id, say).
_SENDER_ID = re.compile(r"web-[A-Za-z0-9_.:-]{1,124}")


def _sender_id(value: Any) -> str:
    """The visitor's sender id, or a fresh one when missing or malformed."""
    if isinstance(value, str) and _SENDER_ID.fullmatch(value):
        return value
    return f"web-{uuid.uuid4().hex}"


@router.post("/api/chat", openapi_extra=text_body("商標について相談したい", with_sender=True))
async def chat(request: Request, assistant: AssistantDep, settings: SettingsDep) -> dict[str, Any]:
    limit = settings.max_message_chars
    body: dict[str, Any] = {}
    try:
        body = await read_json_object(request, settings.max_body_bytes)
        sender_id = _sender_id(body.get("sender_id"))
        text = check_text(body.get("text"), limit)
    except InputError as error:
        sender_id = _sender_id(body.get("sender_id"))
        return {
            "sender_id": sender_id,
            "messages": await assistant.refuse(sender_id, "web", error.problem, limit),
        }
    address = request.client.host if request.client else None
    messages = await assistant.reply(sender_id, "web", text, address)
    return {"sender_id": sender_id, "messages": messages}
