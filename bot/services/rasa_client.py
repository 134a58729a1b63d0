"""The gateway's only way to the Rasa engine: its HTTP API."""

from __future__ import annotations

from typing import Any

import httpx

from bot.core.config import Settings


class EngineUnavailable(Exception):
    """Rasa (or the action server behind it) did not answer usefully."""


class RasaClient:
    """Talks to Rasa's HTTP server: ``/model/parse`` and the REST channel."""

    def __init__(self, settings: Settings, http: httpx.AsyncClient) -> None:
        self._settings = settings
        self._http = http

    async def parse(self, text: str) -> dict[str, Any]:
        """NLU result for ``text`` (already normalised)."""
        return await self._post("/model/parse", {"text": text})

    async def send(self, sender_id: str, text: str) -> list[dict[str, Any]]:
        """Send a visitor message through Rasa's REST channel; returns the bot's replies."""
        replies = await self._post("/webhooks/rest/webhook", {"sender": sender_id, "message": text})
        if not isinstance(replies, list):
            raise EngineUnavailable("unexpected reply shape from the REST channel")
        return replies

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
            response = await self._http.get(url, timeout=self._settings.health_timeout_seconds)
        except httpx.HTTPError:
            return False
        return response.status_code == httpx.codes.OK

    async def _post(self, path: str, payload: dict[str, Any]) -> Any:
        try:
            response = await self._http.post(
                f"{self._settings.rasa_url}{path}",
                json=payload,
                timeout=self._settings.rasa_timeout_seconds,
            )
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise EngineUnavailable(str(error)) from error

    async def _get(self, path: str, timeout: float | None = None) -> Any:
        try:
            response = await self._http.get(
                f"{self._settings.rasa_url}{path}",
                timeout=timeout or self._settings.rasa_timeout_seconds,
            )
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise EngineUnavailable(str(error)) from error
