"""The assistant as every channel sees it: text in, polite replies out, nothing lost."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from anyio import to_thread
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.conversation import context, replies
from bot.conversation.messages import BotMessage, Button, bot_message
from bot.core.db import with_retries
from bot.escalation import service as handoff
from bot.escalation.messages import BACK_TO_BOT_PAYLOAD
from bot.faq.menu import menu_reply
from bot.feedback.service import feedback_reply
from bot.privacy import held
from bot.reading.contact import redact
from bot.reading.requests import implied_intent
from bot.services import limits, transcript
from bot.services.rasa_client import EngineUnavailable, RasaClient
from bot.services.turn_locks import TurnLocks, TurnUnavailable
from bot.services.visitor_input import Problem, VisitorText

logger = logging.getLogger(__name__)
RESTART = "/restart"
T = TypeVar("T")


def _from_engine(raw_replies: list[dict[str, Any]]) -> list[BotMessage]:
    """Keep what channels can show from Rasa's replies: text with buttons, and the card Rasa
    sends after the text it belongs to (as its own ``custom`` message)."""
    messages: list[BotMessage] = []
    for reply in raw_replies:
        custom = reply.get("custom")
        if isinstance(custom, dict) and _is_card(custom.get("card")) and messages and not reply.get("text"):
            messages[-1]["card"] = custom["card"]
            continue
        text = reply.get("text")
        if not text:
            continue
        buttons: list[Button] = [
            {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
            for b in reply.get("buttons") or []
        ]
        messages.append(bot_message(text, buttons))
    return messages


def _is_card(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("title"), str)
        and isinstance(value.get("rows"), list)
    )


class Assistant:
    """Records each visitor message, asks the engine, and always answers."""

    def __init__(self, rasa: RasaClient, turns: TurnLocks) -> None:
        self._rasa = rasa
        self._turns = turns
        self._addresses = limits.AddressWindow()

    async def reply(
        self, sender_id: str, channel: str, text: VisitorText, address: str | None = None
    ) -> list[BotMessage]:
        """The bot's replies to ``text`` from a client ``address`` (none on LINE); a polite message
        whenever something is down or the visitor sends too much too fast (bot/services/limits.py)."""
        if not self._addresses.allows(address):
            return [bot_message(replies.TOO_MANY_TURNS)]
        try:
            recorded = await to_thread.run_sync(
                _record, sender_id, channel, text, limits.address_key(address)
            )
        except SQLAlchemyError:
            logger.exception("could not record a message from %s", sender_id)
            return [bot_message(replies.STORE_UNAVAILABLE)]
        message_id = recorded.message_id
        if recorded.answered_here is not None:
            status, reply = recorded.answered_here
            await self._record_outcome(message_id, status, [reply])
            return [reply]
        messages, status, intent = await self._ask_engine(sender_id, recorded)
        try:
            urgent = await to_thread.run_sync(_file_if_urgent, sender_id, text.normalized)
        except SQLAlchemyError:
            logger.exception("could not check the urgency of a message from %s", sender_id)
            urgent = []
        messages = [*recorded.preface, *urgent, *messages]
        await self._record_outcome(message_id, status, messages, intent)
        return messages

    async def _ask_engine(
        self, sender_id: str, recorded: Recorded
    ) -> tuple[list[BotMessage], str, dict[str, Any] | None]:
        """The engine's replies to a recorded message, with the turn's status and intent."""
        status, intent = "answered", None
        try:
            async with self._turns.turn(sender_id):
                turn = await self._rasa.send(sender_id, recorded.shown, recorded.implied)
            messages, intent = _from_engine(turn.replies), turn.intent
        except (EngineUnavailable, TurnUnavailable) as error:
            logger.warning("engine unavailable for %s: %s", sender_id, error)
            status, messages = "engine_unavailable", [bot_message(replies.ENGINE_UNAVAILABLE)]
        if not messages:
            # Rasa answers with no messages when an action failed (its error is in the logs).
            status = "no_reply" if status == "answered" else status
            messages = [bot_message(replies.NO_REPLY, replies.NEXT_STEP_BUTTONS)]
        return messages, status, intent

    async def refuse(self, sender_id: str, channel: str, problem: Problem, limit: int) -> list[BotMessage]:
        """The polite answer to unusable input. An empty message is recorded: the first gets the
        request to type with the menu, the next ones in a row a one-line nudge without it."""
        if problem is not Problem.EMPTY:
            return [bot_message(problem.message(limit))]
        try:
            message_id, again = await to_thread.run_sync(_record_empty, sender_id, channel)
        except SQLAlchemyError:
            logger.exception("could not record an empty message from %s", sender_id)
            return [bot_message(problem.message(limit), replies.NEXT_STEP_BUTTONS)]
        if again:
            messages = [bot_message(replies.EMPTY_AGAIN)]
        else:
            messages = [bot_message(problem.message(limit), replies.NEXT_STEP_BUTTONS)]
        await self._record_outcome(message_id, transcript.EMPTY, messages)
        return messages

    @staticmethod
    async def _record_outcome(
        message_id: int, status: str, messages: list[BotMessage], intent: dict[str, Any] | None = None
    ) -> None:
        try:
            await to_thread.run_sync(transcript.record_outcome, message_id, status, messages, intent)
        except SQLAlchemyError:
            logger.exception("could not record the replies to message %s", message_id)


def _implied(session: Session, sender_id: str, text: str) -> str | None:
    """The intent the message implies by its data (bot/reading/requests.py), or by the program or
    the events the conversation is about (a follow-up: bot/conversation/context.py)."""
    if intent := implied_intent(text):
        return intent
    following_up = context.follows_up_on_program(session, sender_id, text)
    return "ask_program" if following_up or context.follows_up_on_events(session, sender_id, text) else None


def _record_empty(sender_id: str, channel: str) -> tuple[int, bool]:
    """Store an empty message; whether the one before it was empty too."""

    def work(session: Session) -> tuple[int, bool]:
        again = transcript.follows_an_empty_message(session, sender_id)
        return transcript.add_visitor_message(session, sender_id, channel, ""), again

    return _in_conversation(work)


def _file_if_urgent(sender_id: str, text: str) -> list[BotMessage]:
    return with_retries(lambda session: handoff.file_if_urgent(session, sender_id, text))


@dataclass(frozen=True)
class Recorded:
    """A visitor message as stored: its id; its text as the transcript and the engine see it
    (placeholders for contacts); the reply the gateway gives itself, with its status (too fast,
    held for staff, how a hand-off stands), else the intent the message implies and what is said
    before the engine's replies (a live hand-off that ended)."""

    message_id: int
    shown: str
    answered_here: tuple[str, BotMessage] | None = None
    implied: str | None = None
    preface: tuple[BotMessage, ...] = ()


def _record(sender_id: str, channel: str, text: VisitorText, address_key: str | None = None) -> Recorded:
    """Store the visitor's message, its contact details held apart (bot/privacy/held.py).

    Starting over (``/restart``) releases a held conversation so the bot answers again.
    """
    redacted = redact(text.normalized)
    stored = redacted.text if redacted.found else text.original

    def work(session: Session) -> Recorded:
        busy = limits.sender_is_busy(session, sender_id)
        message_id = transcript.add_visitor_message(session, sender_id, channel, stored, address_key)
        held.hold(session, sender_id, message_id, redacted.found)
        if busy:
            return Recorded(message_id, redacted.text, ("rate_limited", bot_message(replies.TOO_MANY_TURNS)))
        if text.normalized == RESTART:
            handoff.resume_bot(session, sender_id)
            return Recorded(message_id, redacted.text)
        if text.normalized == BACK_TO_BOT_PAYLOAD:
            back = handoff.resume_bot(session, sender_id)
            return Recorded(message_id, redacted.text, ("answered", back or nothing_held()))
        if feedback := feedback_reply(session, sender_id, text.normalized):
            return Recorded(message_id, redacted.text, ("answered", feedback))
        if menu := menu_reply(session, text.normalized):
            return Recorded(message_id, redacted.text, ("answered", menu))
        if waiting := handoff.status(session, sender_id, text.normalized):
            return Recorded(message_id, redacted.text, ("answered", waiting))
        holding = handoff.held_for_staff(session, sender_id)
        if holding is not None and holding.held:
            return Recorded(message_id, redacted.text, ("held_for_staff", holding.message))
        if changed := handoff.change_contact(session, sender_id, text.normalized):
            return Recorded(message_id, redacted.text, ("answered", changed))
        preface = (holding.message,) if holding is not None else ()
        implied = _implied(session, sender_id, text.normalized)
        return Recorded(message_id, redacted.text, implied=implied, preface=preface)

    return _in_conversation(work)


def nothing_held() -> BotMessage:
    """「チャットボットに戻る」 pressed when the bot is answering already."""
    return bot_message(replies.ALREADY_WITH_BOT, replies.NEXT_STEP_BUTTONS)


def _in_conversation(work: Callable[[Session], T]) -> T:
    """``work`` on a visitor's conversation; once more when another request made the conversation
    at the same time (a visitor's first messages at once)."""
    try:
        return with_retries(work)
    except IntegrityError:
        return with_retries(work)
