"""A loopback stand-in for the LINE Messaging API: records reply and push calls, fails on request.

It answers the way api.line.me does: 401 without the right access token, 400 "Invalid reply token"
for a reply token that was used or has expired, 409 for a push retry key it has accepted before,
400 for a request over LINE's limits, and whatever status a test asks for next.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from scripts.system import free_port

FAILURE_BODIES = {
    400: {"message": "Invalid reply token"},
    429: {"message": "Too Many Requests"},
    500: {"message": "Internal Server Error"},
    503: {"message": "Service Unavailable"},
}


@dataclass(frozen=True)
class Call:
    """One request the stand-in received, and the status it answered."""

    kind: str  # "reply" or "push"
    body: dict[str, Any]
    headers: dict[str, str]
    status: int

    @property
    def texts(self) -> list[str]:
        return [message["text"] for message in self.body.get("messages", [])]

    @property
    def quick_replies(self) -> list[dict[str, Any]]:
        """The quick-reply actions of the last message."""
        last = (self.body.get("messages") or [{}])[-1]
        return [item["action"] for item in (last.get("quickReply") or {}).get("items", [])]


def limit_problems(body: dict[str, Any]) -> list[str]:
    """What LINE would refuse in a reply or push body."""
    messages = body.get("messages") or []
    problems = [] if 1 <= len(messages) <= 5 else [f"{len(messages)} messages"]
    for message in messages:
        text = message.get("text", "")
        if message.get("type") != "text" or not 1 <= len(text.encode("utf-16-le")) // 2 <= 5000:
            problems.append("text missing or over 5000 characters (UTF-16 units, as LINE counts)")
        items = (message.get("quickReply") or {}).get("items", [])
        if len(items) > 13:
            problems.append(f"{len(items)} quick replies")
        for item in items:
            action = item.get("action", {})
            if not 1 <= len(action.get("label", "")) <= 20 or len(action.get("data", "")) > 300:
                problems.append(f"bad quick reply {action}")
    return problems


class LineApiStandIn:
    """The stand-in server; start it, point ``CHIZAI_LINE_API_BASE_URL`` at ``url``, then inspect ``calls``."""

    def __init__(self, access_token: str) -> None:
        self.access_token = access_token
        self.port = free_port()
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._failures: dict[str, deque[int]] = defaultdict(deque)
        self._spent_tokens: set[str] = set()
        self._retry_keys: set[str] = set()
        self._server = uvicorn.Server(
            uvicorn.Config(self._app(), host="127.0.0.1", port=self.port, log_level="warning")
        )
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the LINE stand-in did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def __enter__(self) -> LineApiStandIn:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # --- what tests ask for ---

    def fail_next(self, target: str, *statuses: int) -> None:
        """Answer the next calls for ``target`` (a reply token or a push's user id) with ``statuses``."""
        with self._lock:
            self._failures[target].extend(statuses)

    def expire(self, reply_token: str) -> None:
        """Make a reply token invalid, as when it has expired."""
        with self._lock:
            self._spent_tokens.add(reply_token)

    def calls(self, kind: str | None = None, *, reply_token: str | None = None, to: str | None = None):
        """Calls received so far, optionally only those for a reply token or a push target."""
        with self._lock:
            calls = list(self._calls)
        return [
            call
            for call in calls
            if (kind is None or call.kind == kind)
            and (reply_token is None or call.body.get("replyToken") == reply_token)
            and (to is None or call.body.get("to") == to)
        ]

    def wait_for(self, timeout: float = 60, **criteria: Any) -> Call:
        """The first successful call matching ``criteria`` (see ``calls``), waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            delivered = [call for call in self.calls(**criteria) if call.status == 200]
            if delivered:
                return delivered[0]
            time.sleep(0.05)
        raise AssertionError(f"no LINE call matching {criteria} within {timeout} s; got {self.calls()}")

    # --- the server ---

    def _app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/v2/bot/message/reply")
        async def reply(request: Request) -> JSONResponse:
            return await self._answer("reply", request)

        @app.post("/v2/bot/message/push")
        async def push(request: Request) -> JSONResponse:
            return await self._answer("push", request)

        return app

    async def _answer(self, kind: str, request: Request) -> JSONResponse:
        body = await request.json()
        headers = {name.lower(): value for name, value in request.headers.items()}
        status, answer = self._decide(kind, body, headers)
        with self._lock:
            self._calls.append(Call(kind, body, headers, status))
        return JSONResponse(answer, status_code=status)

    def _decide(self, kind: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict]:
        with self._lock:
            if headers.get("authorization") != f"Bearer {self.access_token}":
                return 401, {"message": "Authentication failed. Confirm that the access token is valid."}
            target = body.get("replyToken") if kind == "reply" else body.get("to")
            if self._failures[target]:
                status = self._failures[target].popleft()
                return status, FAILURE_BODIES[status]
            if problems := limit_problems(body):
                return 400, {"message": "The request body has errors", "details": problems}
            if kind == "reply":
                token = body.get("replyToken")
                if token in self._spent_tokens:
                    return 400, {"message": "Invalid reply token"}
                self._spent_tokens.add(token)
            else:
                key = headers.get("x-line-retry-key")
                if key in self._retry_keys:
                    return 409, {"message": "The retry key is already accepted"}
                if key:
                    self._retry_keys.add(key)
        sent = [{"id": uuid.uuid4().hex, "quoteToken": uuid.uuid4().hex} for _ in body["messages"]]
        return 200, {"sentMessages": sent}
