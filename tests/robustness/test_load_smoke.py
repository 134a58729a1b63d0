"""Load on the real running system: a small run of ``scripts/load.py``, and one visitor at once."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from bot.conversation import replies
from scripts.load import run_load
from tests.robustness.conftest import visitor_rows


def test_sixteen_visitors_at_once_on_one_worker_lose_nothing_and_wait_for_nothing(system):
    """Sixteen conversations at once on one gateway worker, whose actions Rasa calls back while
    their turns wait: no deadlock (every turn answered in time), nothing lost."""
    figures = run_load(system.gateway_url, system.database_url, conversations=20, turns=5, concurrency=16)
    print(figures.report())
    assert figures.turns_sent == 100
    assert figures.errors == 0, figures.error_samples
    assert figures.degraded_answers == 0, figures.error_samples
    assert figures.lost == 0
    assert figures.left_received == 0


def test_first_messages_of_one_visitor_at_once_are_all_answered_and_recorded(system):
    for _ in range(2):
        sender = f"web-burst-{uuid.uuid4().hex}"

        def turn(_: int, sender: str = sender) -> list[str]:
            with httpx.Client(base_url=system.gateway_url, timeout=60) as client:
                response = client.post("/api/chat", json={"sender_id": sender, "text": "特許の期間は？"})
                assert response.status_code == 200
                return [m["text"] for m in response.json()["messages"]]

        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(turn, range(6)))
        assert all(answer and answer != [replies.STORE_UNAVAILABLE] for answer in answers), answers
        assert len(visitor_rows(system, sender)) == 6
