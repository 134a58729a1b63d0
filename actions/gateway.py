"""The actions' only dependency: the gateway's internal API (domain rules live there)."""

from __future__ import annotations

import logging
import os
from typing import Any

import aiohttp
from rasa_sdk.executor import CollectingDispatcher

logger = logging.getLogger(__name__)

GATEWAY_URL = os.environ.get("CHIZAI_GATEWAY_URL", "http://127.0.0.1:8000")
TIMEOUT = aiohttp.ClientTimeout(total=10)
UNAVAILABLE = (
    "申し訳ありません。ただいま情報を取り出せませんでした。少し時間をおいて、もう一度お試しください。"
    "お急ぎの場合は、秋葉原本部(電話 03-3832-3656)へお問い合わせください。"
)


class GatewayError(Exception):
    """The gateway did not answer usefully."""


async def call(path: str, payload: dict[str, Any]) -> dict[str, Any]:
    """POST ``payload`` to ``/internal{path}`` and return the JSON answer."""
    headers = {"X-Internal-Token": os.environ.get("CHIZAI_INTERNAL_TOKEN", "")}
    try:
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.post(f"{GATEWAY_URL}/internal{path}", json=payload, headers=headers) as response,
        ):
            response.raise_for_status()
            return await response.json()
    except (aiohttp.ClientError, TimeoutError, ValueError) as error:
        logger.warning("gateway call %s failed: %s", path, error)
        raise GatewayError(str(error)) from error


def relay(dispatcher: CollectingDispatcher, messages: list[dict[str, Any]]) -> None:
    """Send the gateway's messages to the visitor as they are."""
    for message in messages:
        dispatcher.utter_message(text=message["text"], buttons=message.get("buttons") or [])


def apologise(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(
        text=UNAVAILABLE,
        buttons=[{"title": "担当者と話す", "payload": "/request_human"}],
    )


async def exchange(
    dispatcher: CollectingDispatcher, path: str, payload: dict[str, Any]
) -> dict[str, Any] | None:
    """Call the gateway and relay the messages it returns; apologise and return ``None`` on failure."""
    try:
        result = await call(path, payload)
    except GatewayError:
        apologise(dispatcher)
        return None
    relay(dispatcher, result.get("messages") or [])
    return result
