"""The gateway's Rasa client over several replicas: turns, and a replica that is down skipped.

The replicas are small HTTP servers on loopback (aiohttp), so connection refused, a reply cut
off mid-answer and the turns are the real thing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from aiohttp import web

from bot.core.config import Settings
from bot.services.rasa_client import EngineUnavailable, RasaClient
from scripts.system import free_port


@asynccontextmanager
async def replica(name: str, calls: list[str], cut_off: bool = False) -> AsyncIterator[str]:
    """A Rasa stand-in answering the gateway's channel with its name (or cutting the answer off)."""

    async def webhook(request: web.Request) -> web.StreamResponse:
        calls.append(name)
        await request.read()
        if cut_off:
            request.transport.close()
        return web.json_response({"messages": [{"text": name}], "intent": {"name": "greet"}})

    app = web.Application()
    app.router.add_post("/webhooks/gateway/webhook", webhook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def send_times(urls: list[str], times: int) -> list[str]:
    """What ``times`` messages got back, through a client over ``urls``."""
    async with aiohttp.ClientSession() as http:
        rasa = RasaClient(Settings(rasa_url=", ".join(urls)), http)
        return [(await rasa.send("web-1", "特許")).replies[0]["text"] for _ in range(times)]


def test_requests_take_the_replicas_in_turn():
    async def scenario() -> tuple[list[str], list[str]]:
        calls: list[str] = []
        async with replica("a", calls) as a, replica("b", calls) as b:
            return await send_times([a, b], 4), calls

    answers, calls = asyncio.run(scenario())
    assert sorted(answers) == sorted(calls) == ["a", "a", "b", "b"]


def test_a_replica_refusing_connections_is_skipped():
    async def scenario() -> list[str]:
        async with replica("b", []) as b:
            return await send_times([f"http://127.0.0.1:{free_port()}", b], 3)

    assert asyncio.run(scenario()) == ["b", "b", "b"]


def test_a_message_cut_mid_answer_is_not_sent_to_another_replica():
    async def scenario() -> list[str]:
        calls: list[str] = []
        async with replica("a", calls, cut_off=True) as a, replica("b", calls, cut_off=True) as b:
            with pytest.raises(EngineUnavailable):
                await send_times([a, b], 1)
        return calls

    assert len(asyncio.run(scenario())) == 1  # Rasa may have taken the turn: sending it again would repeat it


def test_all_replicas_down_is_engine_unavailable():
    async def scenario() -> bool:
        urls = [f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"]
        with pytest.raises(EngineUnavailable):
            await send_times(urls, 1)
        async with aiohttp.ClientSession() as http:
            return await RasaClient(Settings(rasa_url=", ".join(urls)), http).engine_ok()

    assert asyncio.run(scenario()) is False
