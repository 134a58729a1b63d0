"""The gateway's only way to the Rasa engine: its HTTP API.

aiohttp rather than httpx for this hop: on these machines httpx spent about 3 ms of CPU per call
(72 % of the gateway's own work on ``/api/nlu/parse``), aiohttp about 1 ms (docs/performance.md).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import aiohttp
from prometheus_client import Counter

from bot.core.config import Settings, comma_separated

# Requests the gateway sends to Rasa, by path (``GET /metrics``; ``make bench`` counts them per turn).
ENGINE_REQUESTS = Counter("chizai_engine_requests_total", "HTTP requests sent to the Rasa engine", ["path"])


@lru_cache
def _client_timeout(seconds: float) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=seconds)


class EngineUnavailable(Exception):
    """Rasa did not answer usefully."""


@dataclass(frozen=True)
class EngineTurn:
    """What Rasa made of one visitor message: its replies and the intent it read."""

    replies: list[dict[str, Any]]
    intent: dict[str, Any]


class RasaClient:
    """Talks to Rasa's HTTP server (one, or replicas in turn): ``/model/parse`` and the gateway's
    channel (bot/rasa_components/channel.py)."""

    def __init__(self, settings: Settings, http: aiohttp.ClientSession) -> None:
        self._settings = settings
        self._http = http
        # One URL, or several comma-separated Rasa replicas sharing their tracker and lock stores.
        self._replicas = [url.rstrip("/") for url in comma_separated(settings.rasa_url)]
        self._turn = itertools.count()

    async def parse(self, text: str) -> dict[str, Any]:
        """NLU result for ``text`` (already normalised)."""
        return await self._post("/model/parse", {"text": text}, params=self._api_auth)

    async def send(self, sender_id: str, text: str, intent: str | None = None) -> EngineTurn:
        """Send a visitor message through the gateway's channel: the bot's replies and the intent.
        ``intent``, when given, stands in for the classifier's (the message's data implies it)."""
        payload = {"sender": sender_id, "message": text, **({"intent": intent} if intent else {})}
        answer = await self._post("/webhooks/gateway/webhook", payload, self._channel_auth)
        if not isinstance(answer, dict) or not isinstance(answer.get("messages"), list):
            raise EngineUnavailable("unexpected reply shape from the gateway channel")
        return EngineTurn(answer["messages"], answer.get("intent") or {})

    async def engine_ok(self) -> bool:
        """True when Rasa is up with a model loaded."""
        try:
            status = await self._get("/status", self._settings.health_timeout_seconds, self._api_auth)
        except EngineUnavailable:
            return False
        return bool(status.get("model_file") or status.get("model_id"))

    @property
    def _channel_auth(self) -> dict[str, str]:
        token = self._settings.engine_token
        return {"Authorization": f"Bearer {token.get_secret_value()}"} if token else {}

    @property
    def _api_auth(self) -> dict[str, str]:
        """Rasa's HTTP API (run with ``--auth-token``) takes the shared secret as ``?token=``."""
        token = self._settings.engine_token
        return {"token": token.get_secret_value()} if token else {}

    async def _post(
        self,
        path: str,
        payload: dict[str, Any],
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        timeout = self._settings.rasa_timeout_seconds
        return await self._request("POST", path, payload, timeout, headers, params)

    async def _get(self, path: str, timeout: float, params: dict[str, str]) -> Any:
        return await self._request("GET", path, None, timeout, params=params)

    async def _request(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None,
        timeout: float,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
    ) -> Any:
        """The JSON answer of the next replica in turn; a replica that refuses the connection is
        skipped for the next one (the request never reached it, so nothing is done twice)."""
        first = next(self._turn)
        ENGINE_REQUESTS.labels(path.split("?")[0]).inc()
        limit = _client_timeout(timeout)
        refused: Exception | None = None
        for offset in range(len(self._replicas)):
            base = self._replicas[(first + offset) % len(self._replicas)]
            try:
                async with self._http.request(
                    method, f"{base}{path}", json=payload, timeout=limit, headers=headers, params=params
                ) as response:
                    response.raise_for_status()
                    return await response.json(content_type=None)
            except (aiohttp.ClientConnectorError, aiohttp.ConnectionTimeoutError) as error:
                refused = error
            except (aiohttp.ClientError, TimeoutError, ValueError) as error:
                raise EngineUnavailable(str(error) or type(error).__name__) from error
        raise EngineUnavailable(str(refused))
