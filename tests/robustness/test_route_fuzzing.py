"""Generated requests against the gateway's visitor routes (hypothesis, FastAPI TestClient).

The engine is a fake on loopback (up or down, odd but possible replies); LINE
answers go to the stand-in Messaging API. Whatever comes in: never a 5xx, ``/api/chat`` always
200 with messages, errors in the contract's shape, and every LINE message gets its reply.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
import zlib
from collections.abc import Iterator
from typing import Any, ClassVar

import httpx
import pytest
from aiohttp import web
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.api.app import create_app
from bot.channels.line import signature_of
from bot.core import db
from bot.core.config import get_settings
from scripts.system import free_port
from tests.line.stand_in import LineApiStandIn
from tests.robustness.strategies import ANY_CHARACTER, TRICKY

SECRET = "fuzz-channel-secret-0123456789abc"
TOKEN = "fuzz-access-token"
ROUTES = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class FakeEngine:
    """Rasa's HTTP API on loopback: up, or down (connections cut), with replies of every shape
    Rasa can give."""

    REPLIES: ClassVar[list[list[dict[str, Any]]]] = [
        [{"recipient_id": "x", "text": "特許のご質問ですね。"}],
        [{"text": "どちらにしますか。", "buttons": [{"title": "はい", "payload": "/affirm"}]}],
        [{"text": "a"}, {"text": "b", "buttons": None}, {"image": "https://example.invalid/x.png"}],
        [{"custom": {"kind": "card"}}],
        [{"text": ""}, {"text": None}],
        [{"text": "x" * 6000, "buttons": [{"title": "t" * 40, "payload": "/p" * 200}, {}]}],
        [],
    ]

    def __init__(self) -> None:
        self.up = True
        self.url = f"http://127.0.0.1:{free_port()}"
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        if not self.up:
            request.transport.close()
            return web.Response(status=503)
        if request.path == "/webhooks/gateway/webhook":
            text = json.loads(body)["message"]
            replies = self.REPLIES[zlib.crc32(text.encode()) % len(self.REPLIES)]
            return web.json_response(
                {"messages": replies, "intent": {"name": "ask_patent", "confidence": 0.9}}
            )
        if request.path == "/model/parse":
            text = json.loads(body)["text"]
            intent = {"name": "ask_patent", "confidence": 0.9}
            return web.json_response({"text": text, "intent": intent, "intent_ranking": [intent]})
        return web.json_response({"status": "ok", "model_file": "fake.tar.gz"})

    async def _serve(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._answer)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", int(self.url.rsplit(":", 1)[1])).start()

    def start(self) -> None:
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)

    def stop(self) -> None:
        if self._runner:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)


@pytest.fixture(scope="module")
def line_api() -> Iterator[LineApiStandIn]:
    with LineApiStandIn(TOKEN) as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def engine() -> Iterator[FakeEngine]:
    fake = FakeEngine()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def client(tmp_path_factory, line_api, engine) -> Iterator[TestClient]:
    env = {
        "CHIZAI_DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'gateway.db'}",
        "CHIZAI_RASA_URL": engine.url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
        "CHIZAI_LINE_API_BASE_URL": line_api.url,
    }
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        get_settings.cache_clear()
        db.get_engine.cache_clear()
        with TestClient(create_app()) as test_client:
            yield test_client
    get_settings.cache_clear()
    db.get_engine.cache_clear()


# --- what is generated --------------------------------------------------------------------------

TEXT = st.one_of(
    st.text(ANY_CHARACTER, max_size=80),
    st.text(st.sampled_from(TRICKY), max_size=80),
    st.integers(1990, 2010).map(lambda n: "特" * n),  # around the 2,000-character limit
    st.sampled_from(["", " ", "/restart", "/ask_patent", '/inform{"x":', "<script>", "'; DROP TABLE x; --"]),
)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(ANY_CHARACTER, max_size=20)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
SENDER_IDS = st.one_of(
    st.none(),
    st.builds(lambda: f"web-{uuid.uuid4().hex}"),
    st.text(ANY_CHARACTER, max_size=40),
    JSON_VALUES,
)
CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "application/x-www-form-urlencoded",
    ]
)


def dump(value: Any, ascii_only: bool) -> bytes:
    """JSON bytes; with raw UTF-8, lone surrogates go out as (invalid) CESU-8 bytes."""
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


REQUEST_OBJECTS = st.fixed_dictionaries(
    {"text": st.one_of(TEXT, JSON_VALUES)}, optional={"sender_id": SENDER_IDS, "extra": JSON_VALUES}
)
BODIES = st.one_of(
    st.tuples(REQUEST_OBJECTS, st.booleans()).map(lambda pair: dump(*pair)),
    st.tuples(JSON_VALUES, st.booleans()).map(lambda pair: dump(*pair)),
    st.binary(max_size=300),
)


def utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def headers_for(content_type: str | None) -> dict[str, str]:
    return {"content-type": content_type} if content_type else {}


# --- the routes ---------------------------------------------------------------------------------


def assert_error_shape(response: httpx.Response) -> None:
    error = response.json()["error"]
    assert error["code"] and error["message"]


@ROUTES
@given(body=BODIES, content_type=CONTENT_TYPES, engine_up=st.booleans())
def test_chat_always_answers_200_with_messages(client, engine, body, content_type, engine_up):
    engine.up = engine_up
    response = client.post("/api/chat", content=body, headers=headers_for(content_type))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["sender_id"].startswith("web-")
    assert answer["messages"]
    for message in answer["messages"]:
        assert isinstance(message["text"], str) and message["text"].strip()
        assert isinstance(message["buttons"], list)


@ROUTES
@given(body=BODIES, content_type=CONTENT_TYPES)
def test_parse_never_answers_5xx_and_errors_keep_the_contract_shape(client, engine, body, content_type):
    engine.up = True
    response = client.post("/api/nlu/parse", content=body, headers=headers_for(content_type))
    assert response.status_code in (200, 400, 413), response.text
    if response.status_code == 200:
        assert {"text", "normalized_text", "intent", "intent_ranking", "entities"} <= response.json().keys()
    else:
        assert_error_shape(response)


EVENT_KINDS = st.sampled_from(["text", "postback", "sticker", "garbage"])
EVENTS = st.lists(st.tuples(EVENT_KINDS, st.one_of(TEXT, JSON_VALUES)), min_size=0, max_size=4)


def line_event(kind: str, user_id: str, value: Any) -> tuple[Any, str | None]:
    """A webhook event and the reply token that must be answered (None: no answer expected)."""
    if kind == "garbage":
        return value, None
    token = uuid.uuid4().hex
    event = {
        "mode": "active",
        "timestamp": 1_700_000_000_000,
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": False},
        "replyToken": token,
    }
    if kind == "postback":
        return {**event, "type": "postback", "postback": {"data": value}}, token if isinstance(
            value, str
        ) else None
    if kind == "sticker":
        message = {
            "id": "1",
            "type": "sticker",
            "packageId": "1",
            "stickerId": "1",
            "stickerResourceType": "STATIC",
            "quoteToken": "q",
        }
        return {**event, "type": "message", "message": message}, token
    message = {"id": "1", "type": "text", "quoteToken": "q", "text": value}
    return {**event, "type": "message", "message": message}, token if isinstance(value, str) else None


@settings(ROUTES, max_examples=80)
@given(events=EVENTS, ascii_only=st.booleans(), engine_up=st.booleans())
def test_line_never_answers_5xx_and_every_message_gets_a_reply(
    client, line_api, engine, events, ascii_only, engine_up
):
    engine.up = engine_up
    user_id = f"U{uuid.uuid4().hex}"
    built = [line_event(kind, user_id, value) for kind, value in events]
    body = dump({"destination": "U0", "events": [event for event, _ in built]}, ascii_only)
    signature = signature_of(SECRET, body)
    response = client.post("/webhooks/line", content=body, headers={"x-line-signature": signature})
    if not utf8(body):  # a lone surrogate sent raw made the body invalid UTF-8
        assert response.status_code == 400
        assert_error_shape(response)
        return
    assert response.status_code == 200, response.text
    for _, token in built:  # the background task has run when the test client returns
        if token is not None:
            assert [call.status for call in line_api.calls(reply_token=token)] == [200], events


@ROUTES
@given(body=BODIES)
def test_line_refuses_unsigned_or_badly_signed_bodies_with_400(client, body):
    for signature in (None, "", signature_of("another-secret", body)):
        headers = {} if signature is None else {"x-line-signature": signature}
        response = client.post("/webhooks/line", content=body, headers=headers)
        assert response.status_code == 400
        assert_error_shape(response)
