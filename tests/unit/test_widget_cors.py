"""The widget embedded on another site may call its two routes, and nothing else, cross-origin."""

import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.core.config import get_settings

SITE = "https://www.example-center.jp"


def preflight(client: TestClient, path: str, origin: str = SITE, method: str = "POST"):
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "content-type",
    }
    return client.options(path, headers=headers)


@pytest.fixture
def site_only(settings_env, monkeypatch):
    monkeypatch.setenv("CHIZAI_WIDGET_ORIGINS", f"{SITE}/, https://staging.example-center.jp")
    get_settings.cache_clear()
    with TestClient(create_app()) as test_client:
        yield test_client


def test_any_page_may_call_the_chat_by_default(client):
    response = preflight(client, "/api/chat", origin="https://some-page.example")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    chat = client.post("/api/chat", json={"sender_id": "web-x", "text": "特許"}, headers={"Origin": SITE})
    assert chat.status_code == 200
    assert chat.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in chat.headers


def test_the_history_is_readable_cross_origin(client):
    response = client.get("/api/chat/history", params={"sender_id": "web-x"}, headers={"Origin": SITE})
    assert response.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/api/nlu/parse", "/staff/login", "/engine/actions", "/healthz"])
def test_other_routes_stay_same_origin(client, path):
    assert "access-control-allow-origin" not in preflight(client, path).headers
    assert "access-control-allow-origin" not in client.get(path, headers={"Origin": SITE}).headers


def test_a_configured_site_is_allowed_and_others_are_not(site_only):
    allowed = preflight(site_only, "/api/chat")
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == SITE
    refused = preflight(site_only, "/api/chat", origin="https://elsewhere.example")
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    chat = site_only.post("/api/chat", json={"sender_id": "web-y", "text": "特許"}, headers={"Origin": SITE})
    assert chat.headers["access-control-allow-origin"] == SITE
