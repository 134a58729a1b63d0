"""Without LINE secrets the webhook answers 503 and the rest of the gateway runs."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.core import db
from bot.core.config import get_settings
from tests.line.conftest import ACCESS_TOKEN, CHANNEL_SECRET, new_user, sign, text_event, webhook_body


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gateway(request, tmp_path, monkeypatch) -> Iterator[TestClient]:
    """The gateway in-process with the given LINE environment (the engine down: not needed here)."""
    port = closed_port()
    monkeypatch.setenv("CHIZAI_DATABASE_URL", f"sqlite:///{tmp_path / 'test.db'}")
    monkeypatch.setenv("CHIZAI_RASA_URL", f"http://127.0.0.1:{port}")
    for name, value in request.param.items():
        monkeypatch.setenv(name, value)  # "" counts as unset, and hides any .env value
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    with TestClient(create_app()) as client:
        yield client
    get_settings.cache_clear()
    db.get_engine.cache_clear()


@pytest.mark.parametrize(
    "gateway",
    [
        {"LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": ""},
        {"LINE_CHANNEL_SECRET": CHANNEL_SECRET, "LINE_CHANNEL_ACCESS_TOKEN": ""},
        {"LINE_CHANNEL_SECRET": "", "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN},
    ],
    ids=["neither", "no access token", "no secret"],
    indirect=True,
)
def test_the_webhook_answers_503_while_the_rest_runs(gateway):
    body = webhook_body(text_event(new_user(), "こんにちは"))
    response = gateway.post("/webhooks/line", content=body, headers={"x-line-signature": sign(body)})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "line_not_configured"
    assert response.json()["error"]["message"]
    chat = gateway.post("/api/chat", json={"sender_id": "web-1", "text": "こんにちは"})
    assert chat.status_code == 200
    assert chat.json()["messages"][0]["text"]
