"""What the gateway accepts from a visitor, checked the same way on every route."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import Enum
from typing import Any

from starlette.requests import Request

from bot.conversation import replies
from bot.text.normalize import has_content, normalize


class Problem(Enum):
    """Why a request cannot be handled, with its HTTP status and visitor message."""

    EMPTY = ("empty_text", 400, replies.EMPTY_INPUT)
    TOO_LONG = ("text_too_long", 413, replies.TOO_LONG)
    INVALID = ("invalid_request", 400, replies.INVALID_REQUEST)

    def __init__(self, code: str, status: int, message: str) -> None:
        self.code, self.status, self.template = code, status, message

    def message(self, limit: int) -> str:
        return self.template.format(limit=limit)


class InputError(Exception):
    """Raised with the ``Problem`` found in a request."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@dataclass(frozen=True)
class VisitorText:
    """A visitor's text as typed (made storable) and as the engine should see it."""

    original: str
    normalized: str


async def read_json_object(request: Request, max_bytes: int) -> dict[str, Any]:
    """The request body as a JSON object, refusing oversized, non-UTF-8 or malformed bodies."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise InputError(Problem.TOO_LONG)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            raise InputError(Problem.TOO_LONG)
    try:
        data = json.loads(bytes(body).decode("utf-8"))
    except (ValueError, RecursionError) as error:  # undecodable, malformed, or nested too deep
        raise InputError(Problem.INVALID) from error
    if not isinstance(data, dict):
        raise InputError(Problem.INVALID)
    return data


def check_text(value: Any, limit: int) -> VisitorText:
    """Validate a message text; raises ``InputError`` for empty, non-text or too long input."""
    if not isinstance(value, str):
        raise InputError(Problem.EMPTY if value is None else Problem.INVALID)
    if len(value) > limit:
        raise InputError(Problem.TOO_LONG)
    text = value.encode("utf-8", "replace").decode("utf-8")  # lone surrogates cannot be stored
    normalized = normalize(text)
    if not has_content(normalized):
        raise InputError(Problem.EMPTY)
    # Nor can NUL in a PostgreSQL text column.
    return VisitorText(original=text.replace("\x00", "\ufffd"), normalized=normalized)
