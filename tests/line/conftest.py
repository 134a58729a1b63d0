"""LINE fixtures: a stand-in Messaging API and the whole system, configured for LINE, once per session."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from scripts.system import System
from tests.line.stand_in import LineApiStandIn

CHANNEL_SECRET = "test-channel-secret-0123456789ab"
ACCESS_TOKEN = "test-channel-access-token"


def sign(body: bytes, secret: str = CHANNEL_SECRET) -> str:
    """The ``X-Line-Signature`` LINE sends: Base64 of the HMAC-SHA256 of the raw body."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def new_user() -> str:
    """A LINE-like user id (``U`` and 32 hex digits)."""
    return f"U{uuid.uuid4().hex}"


def event(kind: str, user_id: str, redelivery: bool = False, **fields: Any) -> dict[str, Any]:
    """A webhook event as LINE sends it, with a fresh id and, where LINE gives one, reply token."""
    body = {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": uuid.uuid4().hex.upper()[:26],
        "deliveryContext": {"isRedelivery": redelivery},
        **fields,
    }
    if kind in ("message", "postback", "follow"):
        body.setdefault("replyToken", uuid.uuid4().hex)
    return body


def text_event(user_id: str, text: str, **fields: Any) -> dict[str, Any]:
    message = {"id": uuid.uuid4().hex[:18], "type": "text", "quoteToken": uuid.uuid4().hex, "text": text}
    return event("message", user_id, message=message, **fields)


def webhook_body(*events: dict[str, Any]) -> bytes:
    """A webhook body, serialised the way LINE does (compact JSON, UTF-8)."""
    payload = {"destination": "U" + "0" * 32, "events": list(events)}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.fixture(scope="session")
def line_api() -> Iterator[LineApiStandIn]:
    with LineApiStandIn(ACCESS_TOKEN) as stand_in:
        yield stand_in


@pytest.fixture(scope="session")
def system(tmp_path_factory, line_api) -> Iterator[System]:
    line_env = {
        "LINE_CHANNEL_SECRET": CHANNEL_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
        "CHIZAI_LINE_API_BASE_URL": line_api.url,
    }
    with System(tmp_path_factory.mktemp("line-system"), extra_env=line_env) as running:
        yield running


class LineWebhook:
    """Posts webhook bodies to the gateway the way the LINE platform does."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def post(self, body: bytes, signature: str | None) -> httpx.Response:
        """Post ``body`` as it is, with ``signature`` as ``X-Line-Signature`` (None: no header)."""
        headers = {"content-type": "application/json; charset=UTF-8"}
        if signature is not None:
            headers["x-line-signature"] = signature
        return self._client.post("/webhooks/line", content=body, headers=headers)

    def send(self, *events: dict[str, Any]) -> httpx.Response:
        """Post ``events`` correctly signed; LINE must get its 200."""
        body = webhook_body(*events)
        response = self.post(body, sign(body))
        assert response.status_code == 200, response.text
        return response


@pytest.fixture
def webhook(system) -> Iterator[LineWebhook]:
    with httpx.Client(base_url=system.gateway_url, timeout=10) as client:
        yield LineWebhook(client)
