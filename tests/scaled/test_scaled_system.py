"""The scaled path, really running: PostgreSQL and Redis on loopback, two Rasa replicas sharing
their tracker store (PostgreSQL) and lock store (Redis), a gateway of two workers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy
import yaml
from redis.asyncio import Redis
from sqlalchemy.orm import Session

from bot.booking.calendar import free_slots
from bot.booking.models import Booking
from bot.conversation import replies
from bot.core.clock import now_tokyo
from bot.core.config import ROOT
from bot.privacy.rasa_trackers import purge_rasa_trackers
from bot.services.turn_locks import KEY_PREFIX, TurnLocks
from scripts.bad_input import LINE_SECRET, LINE_TOKEN, line_env, run_corpus
from scripts.load import run_load
from scripts.scaled import ScaledSystem, scratch_scaled_system
from tests.backup_checks import assert_a_backup_while_chatting_restores
from tests.line.stand_in import LineApiStandIn
from tests.migration_checks import assert_migrations_round_trip

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
PATENT_TERM = "特許の権利は何年続きますか"
PATENT_ANSWER = "起算して20年"


@pytest.fixture(scope="module")
def line_api() -> Iterator[LineApiStandIn]:
    with LineApiStandIn(LINE_TOKEN) as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def system(tmp_path_factory, line_api) -> Iterator[ScaledSystem]:
    with scratch_scaled_system(tmp_path_factory.mktemp("scaled"), line_env(line_api, LINE_SECRET)) as running:
        yield running


@pytest.fixture
def gateway(system) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.gateway_url, timeout=60) as client:
        yield client


def chat(client: httpx.Client, text: str, sender_id: str) -> list[str]:
    response = client.post("/api/chat", json={"sender_id": sender_id, "text": text})
    assert response.status_code == 200, response.text
    return [m["text"] for m in response.json()["messages"]]


def rasa_user_events(system: ScaledSystem, sender_id: str) -> int:
    """User messages in Rasa's tracker store (PostgreSQL), whichever replica took them."""
    engine = sqlalchemy.create_engine(system.tracker_url)
    try:
        with engine.connect() as connection:
            query = "SELECT count(*) FROM events WHERE sender_id = :sender AND type_name = 'user'"
            return connection.execute(sqlalchemy.text(query), {"sender": sender_id}).scalar_one()
    finally:
        engine.dispose()


def test_a_conversation_is_answered_and_tracked_in_postgresql_across_both_replicas(system, gateway):
    sender = f"web-{uuid.uuid4().hex}"
    texts = ["こんにちは", PATENT_TERM, "商標の登録はどれくらい有効ですか", "ありがとうございました"]
    answers = [chat(gateway, text, sender) for text in texts]
    assert PATENT_ANSWER in " ".join(answers[1])
    assert rasa_user_events(system, sender) == len(texts)  # the replicas took turns on one tracker
    components = gateway.get("/healthz").json()["components"]
    assert components == {"rasa": "ok", "actions": "ok", "database": "ok", "redis": "ok"}


def test_first_messages_of_one_visitor_at_once_are_all_answered_and_kept_whole(system):
    # Six at once, three times: the gateway must not trip over creating one conversation twice,
    # and the lock store must keep the replicas from writing one tracker at the same time.
    for _ in range(3):
        sender = f"web-{uuid.uuid4().hex}"

        def turn(_: int, sender: str = sender) -> list[str]:
            with httpx.Client(base_url=system.gateway_url, timeout=60) as client:
                return chat(client, PATENT_TERM, sender)

        with ThreadPoolExecutor(6) as pool:
            answers = list(pool.map(turn, range(6)))
        assert [a for a in answers if PATENT_ANSWER not in " ".join(a)] == []
        assert rasa_user_events(system, sender) == 6


def test_turn_locks_of_two_workers_on_redis_never_overlap_and_outlive_a_crash_briefly(system):
    sender = f"web-{uuid.uuid4().hex}"

    async def run() -> tuple[int, float]:
        clients = [Redis.from_url(system.redis_url) for _ in range(2)]
        workers = [TurnLocks(client, lifetime=1, wait=10) for client in clients]
        inside = most = 0

        async def turn(worker: TurnLocks) -> None:
            nonlocal inside, most
            async with worker.turn(sender):
                inside += 1
                most = max(most, inside)
                await asyncio.sleep(0.02)
                inside -= 1

        try:
            await asyncio.gather(*(turn(workers[i % 2]) for i in range(20)))
            # A worker that died holding the turn: its lock lapses after ``lifetime``.
            assert await clients[0].lock(f"{KEY_PREFIX}{sender}", timeout=1).acquire()
            started = asyncio.get_running_loop().time()
            await turn(workers[1])
            return most, asyncio.get_running_loop().time() - started
        finally:
            for client in clients:
                await client.aclose()

    most, waited = asyncio.run(run())
    assert most == 1
    assert 0.5 < waited < 3


def visitor_statuses(system: ScaledSystem, sender_id: str) -> list[str]:
    """The statuses of a conversation's visitor messages in the gateway's store, oldest first."""
    engine = sqlalchemy.create_engine(system.database_url)
    query = (
        "SELECT m.status FROM messages m JOIN conversations c ON c.id = m.conversation_id"
        " WHERE c.sender_id = :sender AND m.direction = 'visitor' ORDER BY m.id"
    )
    try:
        with engine.connect() as connection:
            return list(connection.execute(sqlalchemy.text(query), {"sender": sender_id}).scalars())
    finally:
        engine.dispose()


def test_redis_down_is_a_polite_answer_with_the_message_kept_then_it_goes_on(system, gateway):
    sender = f"web-{uuid.uuid4().hex}"
    system.stop("redis")
    try:
        assert chat(gateway, PATENT_TERM, sender) == [replies.ENGINE_UNAVAILABLE]
        health = gateway.get("/healthz")
        assert health.status_code == 503 and health.json()["components"]["redis"] == "down"
    finally:
        system.start_redis()
    assert PATENT_ANSWER in " ".join(chat(gateway, PATENT_TERM, sender))
    assert visitor_statuses(system, sender) == ["engine_unavailable", "answered"]
    assert gateway.get("/healthz").status_code == 200


def test_the_bad_input_corpus_on_postgresql_gets_no_5xx_and_loses_no_message(system, line_api):
    figures = run_corpus(system.gateway_url, system.database_url, line_api)
    print(figures.report())
    assert figures.ok, figures.report()


def test_a_small_load_on_the_scaled_system_loses_nothing(system):
    figures = run_load(system.gateway_url, system.database_url, conversations=20, turns=5, concurrency=8)
    print(figures.report())
    assert figures.errors == 0 and figures.degraded_answers == 0, figures.error_samples
    assert figures.lost == 0 and figures.left_received == 0


def test_a_replica_killed_is_skipped_and_the_conversation_goes_on_without_an_apology(system, gateway):
    sender = f"web-{uuid.uuid4().hex}"
    chat(gateway, "こんにちは", sender)
    system.stop("rasa2")
    try:
        for _ in range(4):  # both replicas' turns: the gateway skips the one that is down
            answer = chat(gateway, PATENT_TERM, sender)
            assert answer != [replies.ENGINE_UNAVAILABLE]
            assert PATENT_ANSWER in " ".join(answer)
        assert gateway.get("/healthz").status_code == 200
    finally:
        system.start_rasa(name="rasa2")
        system.wait_until_replica_parses(system.rasa_urls[1])


def test_migrations_go_up_match_the_models_and_come_down_on_postgresql(system):
    system.psql("CREATE DATABASE migrations")
    assert_migrations_round_trip(system.postgres_url("migrations"))


def submit_booking(system: ScaledSystem, start: str, phone: str) -> bool:
    """The booking form's last step as Rasa calls it, through the gateway's workers."""
    slots = {"consultation_kind": "general", "place": "akihabara", "booking_slot": start,
             "booking_contact": phone, "booking_topic": "patent", "person_name": "試験"}  # fmt: skip
    sender = f"web-{uuid.uuid4().hex}"
    call = {"next_action": "action_submit_booking", "sender_id": sender, "version": "3.6.21",
            "domain": DOMAIN, "tracker": {"sender_id": sender, "slots": slots, "events": [],
                                          "latest_message": {"text": "はい"}}}  # fmt: skip
    response = httpx.post(
        f"{system.gateway_url}/engine/actions", params={"token": system.engine_token}, json=call, timeout=60
    )
    assert response.status_code == 200, response.text
    # Booked: the whole form is emptied; refused: only the slot is, to choose another.
    return "booking_topic" in {event.get("name") for event in response.json()["events"]}


def test_a_booking_race_across_both_workers_has_one_winner_for_the_last_place(system):
    engine = sqlalchemy.create_engine(system.database_url)
    try:
        with Session(engine) as session:
            slot = free_slots(session, "akihabara", "general", now_tokyo(), limit=1)[0]
        start = slot.start.isoformat()
        for i in range(slot.free - 1):
            assert submit_booking(system, start, f"03-1111-{i:04d}")
        with ThreadPoolExecutor(24) as pool:
            outcomes = list(pool.map(lambda i: submit_booking(system, start, f"090-3000-{i:04d}"), range(24)))
        assert outcomes.count(True) == 1
        with Session(engine) as session:
            booked = session.scalars(
                sqlalchemy.select(Booking).where(Booking.slot_start == slot.start, Booking.status == "booked")
            ).all()
        assert len(booked) == slot.capacity
    finally:
        engine.dispose()


def test_a_conversation_idle_past_retention_leaves_rasas_tracker_store_on_postgresql(system, gateway):
    sender = f"web-{uuid.uuid4().hex}"
    chat(gateway, PATENT_TERM, sender)
    engine = sqlalchemy.create_engine(system.tracker_url)
    try:
        with engine.begin() as connection:  # as if it had happened 91 days ago
            connection.execute(
                sqlalchemy.text("UPDATE events SET timestamp = timestamp - :age WHERE sender_id = :sender"),
                {"age": 91 * 86400, "sender": sender},
            )
    finally:
        engine.dispose()
    assert purge_rasa_trackers(system.tracker_url, 90) == 1  # the other tests' conversations stay
    assert rasa_user_events(system, sender) == 0
    assert PATENT_ANSWER in " ".join(chat(gateway, PATENT_TERM, sender))


def test_one_contact_booking_four_slots_at_once_on_postgresql_gets_no_more_than_its_cap(system):
    """A check-then-insert let one contact book 4 of 4 slots at once on PostgreSQL (3 of 3 trials)."""
    engine = sqlalchemy.create_engine(system.database_url)
    try:
        with Session(engine) as session:
            slots = free_slots(session, "akihabara", "general", now_tokyo(), limit=6)[-4:]
        with ThreadPoolExecutor(4) as pool:
            outcomes = list(
                pool.map(lambda s: submit_booking(system, s.start.isoformat(), "090-5151-7272"), slots)
            )
        with Session(engine) as session:
            held = session.scalars(
                sqlalchemy.select(Booking).where(Booking.phone == "090-5151-7272", Booking.status == "booked")
            ).all()
        assert outcomes.count(True) == len(held) == 2
    finally:
        engine.dispose()


def test_a_backup_taken_while_visitors_chat_restores_every_message_on_postgresql(system, tmp_path):
    for database in ("chizai_restored", "rasa_restored"):
        system.psql(f"CREATE DATABASE {database}")
    restored = (system.postgres_url("chizai_restored"), system.postgres_url("rasa_restored"))
    assert_a_backup_while_chatting_restores(
        system.gateway_url, (system.database_url, system.tracker_url), restored, tmp_path / "backup"
    )
