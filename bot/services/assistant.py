"""The assistant as every channel sees it: text in, polite replies out, nothing lost."""

from __future__ import annotations

import logging
from typing import Any

from anyio import to_thread
from sqlalchemy.exc import SQLAlchemyError

from bot.services import transcript
from bot.services.rasa_client import EngineUnavailable, RasaClient
from bot.services.visitor_input import VisitorText
from bot.text import replies

logger = logging.getLogger(__name__)

BotMessage = dict[str, Any]


def bot_message(text: str, buttons: list[dict[str, str]] | None = None) -> BotMessage:
    """A reply in the shape every channel renders: text plus buttons."""
    return {"text": text, "buttons": list(buttons or [])}


def _from_engine(raw_replies: list[dict[str, Any]]) -> list[BotMessage]:
    """Keep what channels can show from Rasa's REST replies."""
    messages = []
    for reply in raw_replies:
        text = reply.get("text")
        if not text:
            continue
        buttons = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in reply.get("buttons") or []
        ]
        messages.append(bot_message(text, buttons))
    return messages


class Assistant:
    """Records each visitor message, asks the engine, and always answers."""

    def __init__(self, rasa: RasaClient) -> None:
        self._rasa = rasa

    async def reply(self, sender_id: str, channel: str, text: VisitorText) -> list[BotMessage]:
        """The bot's replies to ``text``; a polite message whenever something is down."""
        try:
            message_id = await to_thread.run_sync(
                transcript.record_visitor_message, sender_id, channel, text.original
            )
        except SQLAlchemyError:
            logger.exception("could not record a message from %s", sender_id)
            return [bot_message(replies.STORE_UNAVAILABLE)]

        status = "answered"
        try:
            messages = _from_engine(await self._rasa.send(sender_id, text.normalized))
        except EngineUnavailable as error:
            logger.warning("engine unavailable for %s: %s", sender_id, error)
            status, messages = "engine_unavailable", [bot_message(replies.ENGINE_UNAVAILABLE)]
        if not messages:
            messages = [bot_message(replies.NO_REPLY, replies.NEXT_STEP_BUTTONS)]

        try:
            await to_thread.run_sync(transcript.record_outcome, message_id, status, messages)
        except SQLAlchemyError:
            logger.exception("could not record the replies to message %s", message_id)
        return messages
