"""A visitor's messages reach Rasa one at a time; other visitors' do not wait for them."""

import asyncio

import pytest
from redis.asyncio import Redis
from sqlalchemy import select

from bot.conversation import replies
from bot.core.db import migrate, session_factory
from bot.models import Message
from bot.services.assistant import Assistant
from bot.services.rasa_client import EngineTurn
from bot.services.turn_locks import TurnLocks, TurnUnavailable
from bot.services.visitor_input import VisitorText
from tests.unit.conftest import closed_port

QUESTION = "商標の登録はどれくらい有効ですか"


class SlowRasa:
    """Takes ``seconds`` per message and notes how many messages it works on at once, per
    conversation and in all."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.busy: dict[str, int] = {}
        self.most_at_once: dict[str, int] = {}
        self.most_in_all = 0

    async def send(self, sender_id: str, text: str, intent: str | None = None) -> EngineTurn:
        self.busy[sender_id] = self.busy.get(sender_id, 0) + 1
        self.most_at_once[sender_id] = max(self.most_at_once.get(sender_id, 0), self.busy[sender_id])
        self.most_in_all = max(self.most_in_all, sum(self.busy.values()))
        await asyncio.sleep(self.seconds)
        self.busy[sender_id] -= 1
        return EngineTurn([{"text": "商標権の存続期間は、登録から10年です。"}], {})


async def ask_at_once(assistant: Assistant, senders: list[str]) -> list[list]:
    answers = await asyncio.gather(
        *(assistant.reply(sender, "web", VisitorText(QUESTION, QUESTION)) for sender in senders)
    )
    return answers


def test_one_visitors_messages_at_once_reach_rasa_one_by_one_and_all_are_answered(settings_env):
    migrate()
    rasa = SlowRasa(0.05)
    assistant = Assistant(rasa, TurnLocks(None, lifetime=20, wait=15))
    answers = asyncio.run(ask_at_once(assistant, ["web-a"] * 5))
    assert rasa.most_at_once == {"web-a": 1}
    assert all(answer[0]["text"].startswith("商標権") for answer in answers)


def test_other_visitors_do_not_wait_for_one_another(settings_env):
    migrate()
    rasa = SlowRasa(0.3)
    assistant = Assistant(rasa, TurnLocks(None, lifetime=20, wait=15))
    asyncio.run(ask_at_once(assistant, [f"web-{i}" for i in range(5)]))
    assert rasa.most_in_all == 5  # all five at once, not one after another


def test_a_message_that_cannot_get_its_turn_is_kept_and_answered_politely(settings_env):
    migrate()
    assistant = Assistant(SlowRasa(0.5), TurnLocks(None, lifetime=20, wait=0.2))
    answers = asyncio.run(ask_at_once(assistant, ["web-b", "web-b"]))
    texts = sorted(answer[0]["text"] for answer in answers)
    assert texts == sorted(["商標権の存続期間は、登録から10年です。", replies.ENGINE_UNAVAILABLE])
    with session_factory()() as session:
        statuses = session.scalars(
            select(Message.status).where(Message.direction == "visitor").order_by(Message.id)
        ).all()
    assert sorted(statuses) == ["answered", "engine_unavailable"]


def test_turns_leave_no_lock_behind():
    locks = TurnLocks(None, lifetime=20, wait=1)

    async def run() -> None:
        async def one(sender: str) -> None:
            async with locks.turn(sender):
                await asyncio.sleep(0.01)

        await asyncio.gather(*(one(f"web-{i % 3}") for i in range(9)))
        async with locks.turn("web-0"):  # taken again at once: nothing stale in the way
            pass

    asyncio.run(asyncio.wait_for(run(), timeout=5))


def test_redis_out_of_reach_is_turn_unavailable_not_a_crash():
    async def run() -> None:
        redis = Redis.from_url(f"redis://127.0.0.1:{closed_port()}/0", socket_timeout=1)
        try:
            async with TurnLocks(redis, lifetime=20, wait=1).turn("web-c"):
                pytest.fail("the turn was taken without Redis")
        finally:
            await redis.aclose()

    with pytest.raises(TurnUnavailable, match="Redis"):
        asyncio.run(run())
