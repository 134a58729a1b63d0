"""How the actions reach the domain: in the gateway's process, one database session per step."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from typing import TypeVar

from anyio import to_thread
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.conversation.messages import BotMessage
from bot.conversation.replies import ACTION_UNAVAILABLE, HUMAN_BUTTON
from bot.core.db import with_retries

logger = logging.getLogger(__name__)
T = TypeVar("T")


def latest_text(tracker: Tracker) -> str:
    """What the visitor last typed (or the payload of the button pressed)."""
    return tracker.latest_message.get("text") or ""


def answers_question(tracker: Tracker, slot: str, not_an_answer: Collection[str]) -> bool:
    """Whether the latest message answers the form's question for ``slot``: it is the question
    asked, and the message's intent is not one that leaves it (a question of its own, a no)."""
    intent = tracker.latest_message.get("intent", {}).get("name")
    return tracker.get_slot("requested_slot") == slot and intent not in not_an_answer


def say(dispatcher: CollectingDispatcher, messages: list[BotMessage]) -> None:
    """Send the domain's messages to the visitor as they are."""
    for message in messages:
        extra = {"json_message": {"card": message["card"]}} if "card" in message else {}
        dispatcher.utter_message(text=message["text"], buttons=list(message["buttons"]), **extra)


async def in_session(dispatcher: CollectingDispatcher, work: Callable[[Session], T]) -> T | None:
    """``work`` in a database session off the event loop; on a database failure the visitor is
    told so politely and ``None`` is returned."""
    try:
        return await to_thread.run_sync(with_retries, work)
    except SQLAlchemyError:
        logger.exception("an action could not reach the database")
        dispatcher.utter_message(text=ACTION_UNAVAILABLE, buttons=[dict(HUMAN_BUTTON)])
        return None


async def say_from(dispatcher: CollectingDispatcher, work: Callable[[Session], list[BotMessage]]) -> None:
    """Say the messages ``work`` answers in its database session (on a failure, only the apology
    ``in_session`` gave)."""
    say(dispatcher, await in_session(dispatcher, work) or [])
