"""The gateway's Rasa client over several replicas: turns, and a replica that is down skipped."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bot.core.config import Settings
from bot.services.rasa_client import EngineUnavailable, RasaClient

REPLICAS = "http://rasa-a:5005, http://rasa-b:5005/"


def client_with(handler) -> RasaClient:
    return RasaClient(Settings(rasa_url=REPLICAS), httpx.AsyncClient(transport=httpx.MockTransport(handler)))


def test_requests_take_the_replicas_in_turn():
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return httpx.Response(200, json=[{"text": request.url.host}])

    rasa = client_with(handler)
    for _ in range(4):
        asyncio.run(rasa.send("web-1", "特許"))
    assert sorted(hosts) == ["rasa-a", "rasa-a", "rasa-b", "rasa-b"]


def test_a_replica_refusing_connections_is_skipped():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "rasa-a":
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=[{"text": "ok"}])

    rasa = client_with(handler)
    for _ in range(3):
        assert asyncio.run(rasa.send("web-1", "特許")) == [{"text": "ok"}]


def test_a_message_cut_mid_answer_is_not_sent_to_another_replica():
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.host)
        raise httpx.ReadError("connection reset", request=request)

    with pytest.raises(EngineUnavailable):
        asyncio.run(client_with(handler).send("web-1", "特許"))
    assert len(calls) == 1  # Rasa may have taken the turn: sending it again would repeat it


def test_all_replicas_down_is_engine_unavailable():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(EngineUnavailable):
        asyncio.run(client_with(handler).send("web-1", "特許"))
    assert not asyncio.run(client_with(handler).engine_ok())
