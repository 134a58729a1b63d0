"""The gateway's only way to the Rasa engine: its HTTP API.

aiohttp rather than httpx for this hop: on these machines httpx spent about 3 ms of CPU per call
(72 % of the gateway's own work on ``/api/nlu/parse``), aiohttp about 1 ms (docs/performance.md).
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.core.config import Settings, comma_separated


@lru_cache
def _client_timeout(seconds: float) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=seconds)


class EngineUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer usefully."""


class RasaClient:
    """Talks to Rasa's HTTP server (one, or replicas in turn): ``/model/parse`` and the REST channel."""

    def __init__(self, settings: Settings, http: aiohttp.ClientSession) -> None:
        self._settings = settings
        self._http = http
        # One URL, or several comma-separated Rasa replicas sharing their tracker and lock stores.
        self._replicas = [url.rstrip("/") for url in comma_separated(settings.rasa_url)]
        self._turn = itertools.count()

    async def parse(self, text: str) -> dict[str, Any]:
        """NLU result for ``text`` (already normalised)."""
        return await self._post("/model/parse", {"text": text})

    async def send(self, sender_id: str, text: str) -> list[dict[str, Any]]:
        """Send a visitor message through Rasa's REST channel; returns the bot's replies."""
        replies = await self._post("/webhooks/rest/webhook", {"sender": sender_id, "message": text})
        if not isinstance(replies, list):
            raise EngineUnavailable("unexpected reply shape from the REST channel")
        return replies

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        """The conversation's tracker without its events (``latest_message`` holds the last intent)."""
        path = f"/conversations/{quote(sender_id, safe='')}/tracker?include_events=NONE"
        return await self._get(path)

    async def engine_ok(self) -> bool:
        """True when Rasa is up with a model loaded."""
        try:
            status = await self._get("/status", timeout=self._settings.health_timeout_seconds)
        except EngineUnavailable:
            return False
        return bool(status.get("model_file") or status.get("model_id"))

    async def actions_ok(self) -> bool:
        """True when the action server answers its health check."""
        url = f"{self._settings.actions_url}/health"
        try:
            async with self._http.get(
                url, timeout=_client_timeout(self._settings.health_timeout_seconds)
            ) as response:
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    async def _post(self, path: str, payload: dict[str, Any]) -> Any:
        return await self._request("POST", path, payload, self._settings.rasa_timeout_seconds)

    async def _get(self, path: str, timeout: float | None = None) -> Any:
        return await self._request("GET", path, None, timeout or self._settings.rasa_timeout_seconds)

    async def _request(self, method: str, path: str, payload: dict[str, Any] | None, timeout: float) -> Any:
        """The JSON answer of the next replica in turn; a replica that refuses the connection is
        skipped for the next one (the request never reached it, so nothing is done twice)."""
        first = next(self._turn)
        limit = _client_timeout(timeout)
        refused: Exception | None = None
        for offset in range(len(self._replicas)):
            base = self._replicas[(first + offset) % len(self._replicas)]
            try:
                async with self._http.request(
                    method, f"{base}{path}", json=payload, timeout=limit
                ) as response:
                    response.raise_for_status()
                    return await response.json(content_type=None)
            except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
                refused = error
            except (aiohttp.ClientError, TimeoutError, ValueError) as error:
                raise EngineUnavailable(str(error) or type(error).__name__) from error
        raise EngineUnavailable(str(refused))
