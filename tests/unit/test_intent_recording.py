"""The intent Rasa gave each visitor message is stored after the reply, in the background."""

import asyncio

from sqlalchemy import select

from bot.core.db import migrate, session_factory
from bot.models import Message
from bot.services.assistant import Assistant
from bot.services.rasa_client import EngineUnavailable
from bot.services.turn_locks import TurnLocks
from bot.services.visitor_input import VisitorText


class FakeRasa:
    """Answers like Rasa's REST channel; its tracker knows the last message's intent."""

    def __init__(self, latest: dict | None = None, tracker_down: bool = False, delay: float = 0.0) -> None:
        self.latest = latest
        self.tracker_down = tracker_down
        self.delay = delay
        self.sent: list[str] = []

    async def send(self, sender_id: str, text: str) -> list[dict]:
        self.sent.append(text)
        return [{"text": "商標権の存続期間は、登録から10年です。"}]

    async def tracker(self, sender_id: str) -> dict:
        await asyncio.sleep(self.delay)
        if self.tracker_down:
            raise EngineUnavailable("down")
        return {"sender_id": sender_id, "latest_message": self.latest}


def visitor_intents() -> list[tuple[str | None, float | None]]:
    with session_factory()() as session:
        rows = session.execute(
            select(Message.intent, Message.confidence)
            .where(Message.direction == "visitor")
            .order_by(Message.id)
        )
        return [tuple(row) for row in rows]


def converse(rasa: FakeRasa, text: str = "商標の登録はどれくらい有効ですか") -> list:
    async def run():
        assistant = Assistant(rasa, TurnLocks(None, lifetime=20, wait=15))
        replies = await assistant.reply("web-intent", "web", VisitorText(text, text))
        await assistant.wait_for_background()
        return replies

    return asyncio.run(run())


def test_the_intent_from_the_tracker_is_stored_with_the_message(settings_env):
    migrate()
    latest = {
        "text": "商標の登録はどれくらい有効ですか",
        "intent": {"name": "ask_trademark", "confidence": 0.93},
    }
    replies = converse(FakeRasa(latest))
    assert replies[0]["text"].startswith("商標権")
    assert visitor_intents() == [("ask_trademark", 0.93)]


def test_the_reply_does_not_wait_for_the_intent_lookup(settings_env):
    migrate()
    latest = {
        "text": "商標の登録はどれくらい有効ですか",
        "intent": {"name": "ask_trademark", "confidence": 0.9},
    }

    async def run():
        assistant = Assistant(FakeRasa(latest, delay=0.5), TurnLocks(None, lifetime=20, wait=15))
        loop = asyncio.get_running_loop()
        started = loop.time()
        await assistant.reply(
            "web-fast",
            "web",
            VisitorText("商標の登録はどれくらい有効ですか", "商標の登録はどれくらい有効ですか"),
        )
        answered = loop.time() - started
        await assistant.wait_for_background()
        return answered

    assert asyncio.run(run()) < 0.4
    assert visitor_intents() == [("ask_trademark", 0.9)]


def test_a_tracker_that_moved_on_to_another_message_is_not_recorded(settings_env):
    migrate()
    converse(FakeRasa({"text": "別のメッセージ", "intent": {"name": "greet", "confidence": 0.99}}))
    assert visitor_intents() == [(None, None)]


def test_the_tracker_being_down_loses_only_the_intent(settings_env):
    migrate()
    replies = converse(FakeRasa(tracker_down=True))
    assert replies[0]["text"].startswith("商標権")
    assert visitor_intents() == [(None, None)]
