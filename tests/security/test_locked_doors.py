"""Every door is locked: Rasa's HTTP API wants the shared token, the API docs are served only in
development, and the metrics only to this machine or with their token."""

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.core.config import get_settings
from tests.production import use_production


def test_rasa_s_http_api_refuses_a_call_without_the_token(system):
    for path in ("/status", "/conversations/web-anyone/tracker"):
        assert httpx.get(f"{system.rasa_url}{path}", timeout=10).status_code == 401, path
    assert httpx.get(f"{system.rasa_url}/status", params=system.rasa_auth, timeout=10).status_code == 200
    refused = httpx.put(f"{system.rasa_url}/model", json={"model_server": {"url": "http://x"}}, timeout=10)
    assert refused.status_code == 401


@pytest.mark.parametrize(("env", "served"), [("development", True), ("production", False)])
def test_api_docs_only_in_development(settings_env, monkeypatch, env, served):
    if env == "production":
        use_production(monkeypatch)
    with TestClient(create_app()) as app:
        for path in ("/docs", "/redoc", "/openapi.json"):
            assert (app.get(path).status_code == 200) is served, path


def test_metrics_only_from_this_machine_or_with_the_token(client, monkeypatch):
    assert client.get("/metrics").status_code == 404  # the test client is no loopback address
    monkeypatch.setenv("CHIZAI_METRICS_TOKEN", "scraper-secret")
    get_settings.cache_clear()
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer scraper-secret"}).status_code == 200


def test_metrics_through_a_proxy_on_this_machine_are_refused(system):
    direct = httpx.get(f"{system.gateway_url}/metrics", timeout=10)
    assert direct.status_code == 200
    proxied = httpx.get(
        f"{system.gateway_url}/metrics", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10
    )
    assert proxied.status_code == 404
