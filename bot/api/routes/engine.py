"""Rasa's action endpoint, served by the gateway: the custom actions (``actions/``) run here,
in the gateway's process, and call the domain directly.

rasa-sdk's ``ActionExecutor`` speaks the protocol; this route is its HTTP door, with the
answers of rasa-sdk's own endpoint (400 rejected, 404 unknown action, 449 domain missing).
Rasa sends the shared secret as ``?token=`` (``action_endpoint.token`` in endpoints.yml); the
logging filter keeps it out of log lines (bot/core/logging.py).

The visitor's text reaches Rasa with its contact details as placeholders; while the action runs,
they stand for the values the gateway holds for that message (bot/reading/contact.py ``holding``).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import (
    ActionExecutionRejection,
    ActionMissingDomainException,
    ActionNotFoundException,
)

from bot.api.deps import SettingsDep
from bot.core.config import Settings, get_settings
from bot.core.db import with_retries
from bot.privacy import held
from bot.reading.contact import EMAIL, PHONE, Kind, holding

router = APIRouter(include_in_schema=False)
PATH = "/engine/actions"
MAX_CALL_BYTES = 16 * 1024 * 1024  # a whole session's tracker and the domain


def _executor() -> ActionExecutor:
    executor = ActionExecutor()
    executor.register_package("actions")
    return executor


EXECUTOR = _executor()


async def actions_ready() -> bool:
    """Whether Rasa can run the custom actions here (``/healthz``'s ``actions``): they are
    registered and the engine's token is set (without it every call is refused)."""
    return bool(EXECUTOR.actions) and get_settings().engine_token is not None


def _check_token(settings: Settings, token: str) -> None:
    expected = settings.engine_token
    if expected is None:
        raise HTTPException(503)
    if not secrets.compare_digest(token, expected.get_secret_value()):
        raise HTTPException(403)


async def _held_contacts(action_call: dict[str, Any]) -> list[tuple[Kind, str]]:
    """The contacts the visitor's latest message stands for, read only when it holds a placeholder."""
    tracker = action_call.get("tracker")
    latest = tracker.get("latest_message") if isinstance(tracker, dict) else None
    text = str(latest.get("text") or "") if isinstance(latest, dict) else ""
    sender_id = tracker.get("sender_id") if isinstance(tracker, dict) else None
    if not isinstance(sender_id, str) or (PHONE not in text and EMAIL not in text):
        return []
    return await to_thread.run_sync(with_retries, lambda session: held.latest(session, sender_id))


@router.post(PATH)
async def run_action(request: Request, settings: SettingsDep, token: str = "") -> JSONResponse:
    """Run the action Rasa asks for on the tracker it sends; the events and replies it made."""
    _check_token(settings, token)
    body = await request.body()
    if len(body) > MAX_CALL_BYTES:
        raise HTTPException(413)
    try:
        action_call = json.loads(body)
    except ValueError:
        return JSONResponse({"error": "Invalid body request"}, status_code=400)
    if not isinstance(action_call, dict):
        return JSONResponse({"error": "Invalid body request"}, status_code=400)
    try:
        with holding(await _held_contacts(action_call)):
            result = await EXECUTOR.run(action_call)
    except ActionExecutionRejection as rejection:
        return JSONResponse({"error": rejection.message, "action_name": rejection.action_name}, 400)
    except ActionNotFoundException as missing:
        return JSONResponse({"error": missing.message, "action_name": missing.action_name}, 404)
    except ActionMissingDomainException as no_domain:
        return JSONResponse({"error": no_domain.message, "action_name": no_domain.action_name}, 449)
    return JSONResponse(result.model_dump() if result else None)
