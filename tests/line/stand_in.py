"""A loopback stand-in for the LINE Messaging API: records reply and push calls, fails on request.

It answers the way api.line.me does: 401 without the right access token, 400 "Invalid reply token"
for a reply token that was used or has expired, 409 for a push retry key it has accepted before,
400 for a request over LINE's limits (text lengths in UTF-16 units), and whatever failure a test
asks for next, with LINE's bodies (the rate limit's 429 and the monthly quota's 429 differ). It also keeps rich
menus (create, list, image upload as api-data.line.me takes it, default, delete) and takes the
loading indicator's calls (``chat/loading/start``, 202).
"""

from __future__ import annotations

import io
import json
import threading
import time
import uuid
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from PIL import Image

from scripts.system import free_port

# LINE answers 429 both for the rate limit and for the monthly quota of push messages; only the
# body tells them apart. ``fail_next`` takes a status or one of these names.
RATE_LIMITED, MONTHLY_LIMIT = 429, "monthly_limit"
FAILURES: dict[int | str, tuple[int, dict[str, Any]]] = {
    RATE_LIMITED: (429, {"message": "The API rate limit has been exceeded. Try again later."}),
    MONTHLY_LIMIT: (429, {"message": "You have reached your monthly limit."}),
    500: (500, {"message": "Internal Server Error"}),
    503: (503, {"message": "Service Unavailable"}),
}


def injected_failure(kind: str, failure: int | str) -> tuple[int, dict[str, Any]]:
    """LINE's status and body for a failure a test asked for; a 400 reads as LINE's would for the
    call: a refused reply token, or a push to a user id it does not know."""
    if failure == 400:
        if kind == "reply":
            return 400, {"message": "Invalid reply token"}
        return 400, {"message": "The property, 'to', in the request body is invalid (line: -, column: -)"}
    return FAILURES[failure]


@dataclass(frozen=True)
class Call:
    """One request the stand-in received, and the status it answered."""

    kind: str  # "reply" or "push"
    body: dict[str, Any]
    headers: dict[str, str]
    status: int

    @property
    def texts(self) -> list[str]:
        """Each message's text (a Flex Message's altText)."""
        return [
            message.get("text") or message.get("altText", "") for message in self.body.get("messages", [])
        ]

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
        if message.get("type") == "flex":
            problems += flex_problems(message)
        else:
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


def flex_problems(message: dict[str, Any]) -> list[str]:
    """What LINE would refuse in a Flex Message: its altText, and a bubble past 30 KB."""
    problems = []
    if not 1 <= len(message.get("altText", "").encode("utf-16-le")) // 2 <= 1500:
        problems.append("altText missing or over 1500 characters")
    contents = message.get("contents") or {}
    if contents.get("type") not in ("bubble", "carousel"):
        problems.append("flex contents are neither a bubble nor a carousel")
    if len(json.dumps(contents, ensure_ascii=False).encode()) > 30_000:
        problems.append("flex bubble over 30 KB")
    return problems


def rich_menu_problems(body: dict[str, Any]) -> list[str]:
    """What LINE would refuse in a rich menu object."""
    size, areas = body.get("size") or {}, body.get("areas") or []
    width, height = size.get("width", 0), size.get("height", 0)
    problems = [] if 800 <= width <= 2500 and height >= 250 and width / height >= 1.45 else [f"size {size}"]
    if not isinstance(body.get("selected"), bool):
        problems.append("selected missing")
    if not 1 <= len(body.get("name") or "") <= 300 or not 1 <= len(body.get("chatBarText") or "") <= 14:
        problems.append("name or chatBarText length")
    if not 1 <= len(areas) <= 20:
        problems.append(f"{len(areas)} areas")
    for area in areas:
        b, action = area.get("bounds", {}), area.get("action", {})
        if (
            b.get("x", -1) < 0
            or b.get("y", -1) < 0
            or b.get("x", 0) + b.get("width", 0) > width
            or b.get("y", 0) + b.get("height", 0) > height
        ):
            problems.append(f"area outside the menu {b}")
        if action.get("type") == "postback" and not 1 <= len(action.get("data", "")) <= 300:
            problems.append("postback data length")
        if len(action.get("label", "")) > 20 or len(action.get("displayText", "")) > 300:
            problems.append("label or displayText length")
    return problems


def image_problem(menu: dict[str, Any], content_type: str | None, content: bytes) -> str | None:
    """Why LINE would refuse a rich menu image (JPEG or PNG, at most 1 MB, the menu's exact size)."""
    if content_type not in ("image/png", "image/jpeg") or len(content) > 1024 * 1024:
        return "image must be a JPEG or PNG of at most 1 MB"
    with Image.open(io.BytesIO(content)) as image:
        if image.size != (menu["size"]["width"], menu["size"]["height"]):
            return f"image size {image.size} does not match the rich menu"
    return None


class LineApiStandIn:
    """The stand-in server; start it, point ``CHIZAI_LINE_API_BASE_URL`` at ``url``, then inspect ``calls``."""

    def __init__(self, access_token: str) -> None:
        self.access_token = access_token
        self.port = free_port()
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._failures: dict[str, deque[int | str]] = defaultdict(deque)
        self._spent_tokens: set[str] = set()
        self._retry_keys: set[str] = set()
        self.rich_menus: dict[str, dict[str, Any]] = {}  # id -> LINE's rich menu object
        self.rich_menu_images: dict[str, bytes] = {}
        self.default_rich_menu: str | None = None
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

    def fail_next(self, target: str, *failures: int | str) -> None:
        """Answer the next calls for ``target`` (a reply token or a push's user id) with ``failures``:
        statuses, or ``MONTHLY_LIMIT`` for the quota's 429."""
        with self._lock:
            self._failures[target].extend(failures)

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
            delivered = [call for call in self.calls(**criteria) if 200 <= call.status < 300]
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

        @app.post("/v2/bot/chat/loading/start")
        async def loading(request: Request) -> JSONResponse:
            body = await request.json()
            headers = {name.lower(): value for name, value in request.headers.items()}
            seconds = body.get("loadingSeconds", 20)
            status = 202 if isinstance(body.get("chatId"), str) and seconds in range(5, 61, 5) else 400
            status = status if self._authorised(request) else 401
            with self._lock:
                self._calls.append(Call("loading", body, headers, status))
            return JSONResponse({} if status == 202 else {"message": "The request body has errors"}, status)

        self._rich_menu_routes(app)
        return app

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.access_token}"

    def _rich_menu_routes(self, app: FastAPI) -> None:
        refused = JSONResponse({"message": "Authentication failed"}, 401)
        unknown = JSONResponse({"message": "Not found"}, 404)

        @app.post("/v2/bot/richmenu")
        async def create(request: Request) -> JSONResponse:
            if not self._authorised(request):
                return refused
            body = await request.json()
            if problems := rich_menu_problems(body):
                return JSONResponse({"message": "The request body has errors", "details": problems}, 400)
            menu_id = f"richmenu-{uuid.uuid4().hex}"
            with self._lock:
                self.rich_menus[menu_id] = {"richMenuId": menu_id, **body}
            return JSONResponse({"richMenuId": menu_id})

        @app.get("/v2/bot/richmenu/list")
        async def listed(request: Request) -> JSONResponse:
            with self._lock:
                return (
                    JSONResponse({"richmenus": list(self.rich_menus.values())})
                    if self._authorised(request)
                    else refused
                )

        @app.post("/v2/bot/richmenu/{menu_id}/content")
        async def image(menu_id: str, request: Request) -> JSONResponse:
            if not self._authorised(request):
                return refused
            content = await request.body()
            with self._lock:
                if menu_id not in self.rich_menus:
                    return unknown
                if menu_id in self.rich_menu_images:
                    return JSONResponse(
                        {"message": "An image has already been uploaded to the richmenu"}, 400
                    )
                if problem := image_problem(
                    self.rich_menus[menu_id], request.headers.get("content-type"), content
                ):
                    return JSONResponse({"message": problem}, 400)
                self.rich_menu_images[menu_id] = content
            return JSONResponse({})

        @app.post("/v2/bot/user/all/richmenu/{menu_id}")
        async def set_default(menu_id: str, request: Request) -> JSONResponse:
            if not self._authorised(request):
                return refused
            with self._lock:
                if menu_id not in self.rich_menus:
                    return unknown
                if menu_id not in self.rich_menu_images:
                    return JSONResponse(
                        {"message": "must upload richmenu image before applying it to user"}, 400
                    )
                self.default_rich_menu = menu_id
            return JSONResponse({})

        @app.get("/v2/bot/user/all/richmenu")
        async def get_default(request: Request) -> JSONResponse:
            if not self._authorised(request):
                return refused
            return JSONResponse({"richMenuId": self.default_rich_menu}) if self.default_rich_menu else unknown

        @app.delete("/v2/bot/richmenu/{menu_id}")
        async def delete(menu_id: str, request: Request) -> JSONResponse:
            if not self._authorised(request):
                return refused
            with self._lock:
                if self.rich_menus.pop(menu_id, None) is None:
                    return unknown
                self.rich_menu_images.pop(menu_id, None)
                if self.default_rich_menu == menu_id:
                    self.default_rich_menu = None
            return JSONResponse({})

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
                return injected_failure(kind, self._failures[target].popleft())
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
