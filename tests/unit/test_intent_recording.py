"""The intent Rasa read is stored with the visitor message, from the same answer as the replies."""

import asyncio

from sqlalchemy import select

from bot.conversation import replies
from bot.core.db import migrate, session_factory
from bot.models import Message
from bot.services.assistant import Assistant
from bot.services.rasa_client import EngineTurn, EngineUnavailable
from bot.services.turn_locks import TurnLocks
from bot.services.visitor_input import VisitorText

QUESTION = "商標の登録はどれくらい有効ですか"


class FakeRasa:
    """Answers like the gateway's channel into Rasa: replies and the intent it read."""

    def __init__(self, intent: dict | None = None, down: bool = False) -> None:
        self.intent = intent or {}
        self.down = down
        self.calls = 0
        self.hints: list[str | None] = []

    async def send(self, sender_id: str, text: str, intent: str | None = None) -> EngineTurn:
        self.calls += 1
        self.hints.append(intent)
        if self.down:
            raise EngineUnavailable("down")
        return EngineTurn([{"text": "商標権の存続期間は、登録から10年です。"}], self.intent)


def visitor_intents() -> list[tuple[str | None, float | None]]:
    with session_factory()() as session:
        rows = session.execute(
            select(Message.intent, Message.confidence)
            .where(Message.direction == "visitor")
            .order_by(Message.id)
        )
        return [tuple(row) for row in rows]


def converse(rasa: FakeRasa, text: str = QUESTION) -> list:
    assistant = Assistant(rasa, TurnLocks(None, lifetime=20, wait=15))
    return asyncio.run(assistant.reply("web-intent", "web", VisitorText(text, text)))


def test_the_intent_is_stored_with_the_message_from_one_engine_call(settings_env):
    migrate()
    rasa = FakeRasa({"name": "ask_trademark", "confidence": 0.93})
    replies = converse(rasa)
    assert replies[0]["text"].startswith("商標権")
    assert visitor_intents() == [("ask_trademark", 0.93)]
    assert rasa.calls == 1


def test_the_engine_being_down_records_no_intent_and_still_answers(settings_env):
    migrate()
    replies = converse(FakeRasa(down=True))
    assert "一時的に停止" in replies[0]["text"]
    assert visitor_intents() == [(None, None)]


def test_the_intent_the_data_implies_is_handed_to_the_engine_with_the_message(settings_env):
    migrate()
    rasa = FakeRasa({"name": "book_consultation", "confidence": 1.0})
    converse(rasa, "12/10の14時に秋葉原で商標の相談したい")
    converse(rasa)
    assert rasa.hints == ["book_consultation", None]


class SilentRasa(FakeRasa):
    async def send(self, sender_id: str, text: str, intent: str | None = None) -> EngineTurn:
        return EngineTurn([], {"name": "ask_trademark", "confidence": 0.8})


def test_no_reply_from_the_engine_gets_the_menu_and_is_recorded_as_such(settings_env):
    migrate()
    [reply] = converse(SilentRasa())
    assert reply["text"] == replies.NO_REPLY and reply["buttons"] == replies.NEXT_STEP_BUTTONS
    with session_factory()() as session:
        status = session.scalar(select(Message.status).where(Message.direction == "visitor"))
    assert status == "no_reply"
