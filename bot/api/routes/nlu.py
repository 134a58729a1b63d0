"""``POST /api/nlu/parse``: the engine's understanding of one text, in the contract's shape."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.api.errors import error_response
from bot.api.openapi import text_body
from bot.conversation import replies
from bot.core.config import get_settings
from bot.reading.contact import redact
from bot.services.rasa_client import EngineUnavailable
from bot.services.visitor_input import InputError, check_text, read_json_object

router = APIRouter()
RANKING_LENGTH = 5


def _shape(original: str, parsed: dict[str, Any]) -> dict[str, Any]:
    intent = parsed.get("intent") or {"name": "nlu_fallback", "confidence": 0.0}
    return {
        "text": original,
        "normalized_text": parsed.get("text", ""),
        "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
        "intent_ranking": [
            {"name": r.get("name"), "confidence": r.get("confidence")}
            for r in (parsed.get("intent_ranking") or [])[:RANKING_LENGTH]
        ],
        "entities": [
            {"entity": e["entity"], "value": e["value"], "start": e.get("start"), "end": e.get("end")}
            for e in parsed.get("entities") or []
        ],
    }


@router.post("/api/nlu/parse", openapi_extra=text_body("特許の出願費用はいくらですか"))
async def parse(request: Request) -> JSONResponse:
    # No FastAPI dependencies on this millisecond-scale route: solving them was 4 % of its time.
    settings, rasa = get_settings(), request.app.state.rasa
    try:
        body = await read_json_object(request, settings.max_body_bytes)
        text = check_text(body.get("text"), settings.max_message_chars)
    except InputError as error:
        problem = error.problem
        return error_response(problem.status, problem.code, problem.message(settings.max_message_chars))
    try:
        parsed = await rasa.parse(redact(text.normalized).text)  # what the engine sees in a chat
    except EngineUnavailable:
        return error_response(503, "engine_unavailable", replies.ENGINE_UNAVAILABLE)
    return JSONResponse(_shape(text.original, parsed))
