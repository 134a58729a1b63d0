"""The gateway's channel into Rasa: the REST channel's replies plus the intent, in one call.

The message is parsed once here and handed to Rasa with its parse data, so the gateway learns
the intent without reading the tracker afterwards (a read that decodes every session a returning
visitor ever had). Rasa's ``--auth-token`` does not cover channel webhooks: this one checks a
bearer token of its own, the secret the gateway and the engine share (``CHIZAI_ENGINE_TOKEN``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

TOKEN_VARIABLE = "CHIZAI_ENGINE_TOKEN"


def with_intent(parse_data: dict[str, Any], intent: Any, known: list[str]) -> dict[str, Any]:
    """The parse with ``intent`` in place of the classifier's, when it is one of the domain's."""
    if not isinstance(intent, str) or intent not in known:
        return parse_data
    chosen = {"name": intent, "confidence": 1.0}
    ranking = [r for r in parse_data.get("intent_ranking") or [] if r.get("name") != intent]
    return {**parse_data, "intent": chosen, "intent_ranking": [chosen, *ranking]}


class GatewayInput(InputChannel):
    """``POST /webhooks/gateway/webhook`` with ``{"sender": ..., "message": ..., "intent": ...}``;
    ``intent`` (optional, one of the domain's) stands in for the classifier's: the gateway read it
    from the message's data (bot/reading/requests.py)."""

    def __init__(self, token: str | None) -> None:
        self.token = token or ""

    @classmethod
    def name(cls) -> str:
        return "gateway"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls((credentials or {}).get("token") or os.environ.get(TOKEN_VARIABLE))

    def authorised(self, request: Request) -> bool:
        given = request.headers.get("Authorization", "")
        return bool(self.token) and secrets.compare_digest(given, f"Bearer {self.token}")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("gateway_webhook", __name__)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authorised(request):
                return response.json({"error": "unauthorised"}, status=401)
            body = request.json or {}
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not isinstance(text, str):
                return response.json({"error": "sender and message are required"}, status=400)
            agent = request.app.ctx.agent
            parse_data = with_intent(
                await agent.parse_message(text), body.get("intent"), agent.domain.intents
            )
            collector = CollectingOutputChannel()
            message = UserMessage(text, collector, sender, parse_data=parse_data, input_channel=self.name())
            await on_new_message(message)
            intent = parse_data.get("intent") or {}
            return response.json(
                {
                    "messages": collector.messages,
                    "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
                }
            )

        return webhook
