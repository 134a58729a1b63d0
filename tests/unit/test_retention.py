"""Retention: transcripts and contact details are purged after the retention period, by the
``purge`` command and by the gateway's daily job, and the purge itself is logged."""

import asyncio
import json
import logging
import os
import socket
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text

from bot.__main__ import purge
from bot.core.clock import utcnow
from bot.core.config import get_settings
from bot.core.db import migrate, session_factory, with_retries
from bot.escalation.models import Escalation, EscalationEvent
from bot.models import Conversation, LineEvent, LineFollower, Message
from bot.privacy.rasa_trackers import purge_rasa_trackers
from bot.privacy.retention import PURGED_TEXT, purge_transcripts, run_purge, scheduled_purge
from bot.staff.auth import save_user
from bot.staff.models import AuditEntry, LoginAttempt, StaffSession
from bot.staff.timefmt import as_utc

OLD, RECENT = timedelta(days=91), timedelta(days=10)


def add_conversation(session, sender_id: str, age: timedelta, contact: bool = True) -> None:
    when = utcnow() - age
    conversation = Conversation(sender_id=sender_id, channel="web", started_at=when, last_message_at=when)
    session.add(conversation)
    session.flush()
    session.add_all(
        [
            Message(conversation_id=conversation.id, direction="visitor", text="電話は090-1234-5678です",
                    intent="request_human", confidence=0.9, status="answered", created_at=when),
            Message(conversation_id=conversation.id, direction="bot", text="担当者におつなぎします。",
                    buttons=json.dumps([{"title": "最初からやり直す", "payload": "/restart"}]), status="sent",
                    created_at=when),
        ]
    )  # fmt: skip
    escalation = Escalation(
        sender_id=sender_id, channel="web", reason="requested_human", priority="normal",
        trigger_text="人と話したい 090-1234-5678", contact_consent=contact,
        contact_name="山田" if contact else None, contact_phone="090-1234-5678" if contact else None,
        contact_email="yamada@example.jp" if contact else None, status="closed", resolution="電話で回答済み",
        created_at=when, updated_at=when,
    )  # fmt: skip
    session.add(escalation)
    session.flush()
    session.add(
        EscalationEvent(escalation_id=escalation.id, actor="bot", action="opened", note="人と話したい")
    )
    session.add(
        EscalationEvent(escalation_id=escalation.id, actor="sato@example.jp", action="note", note="折り返す")
    )


@pytest.fixture
def store(settings_env):
    migrate()

    def work(session):
        add_conversation(session, "web-old", OLD)
        add_conversation(session, "web-recent", RECENT)

    with_retries(work)


def conversation_state(sender_id: str):
    with session_factory()() as session:
        conversation = session.scalar(select(Conversation).where(Conversation.sender_id == sender_id))
        messages = session.scalars(select(Message).where(Message.conversation_id == conversation.id)).all()
        escalation = session.scalar(select(Escalation).where(Escalation.sender_id == sender_id))
        notes = session.scalars(
            select(EscalationEvent.note).where(EscalationEvent.escalation_id == escalation.id)
        ).all()
        return messages, escalation, notes


def test_texts_and_contact_details_past_retention_are_purged_and_the_rest_kept(store):
    with session_factory()() as session:
        before = as_utc(
            session.scalar(select(Escalation.updated_at).where(Escalation.sender_id == "web-old"))
        )
    counts = with_retries(lambda session: purge_transcripts(session, retention_days=90))
    assert counts == (1, 2, 1)

    messages, escalation, notes = conversation_state("web-old")
    assert [m.text for m in messages] == [PURGED_TEXT, PURGED_TEXT]
    assert all(m.buttons is None for m in messages)
    assert [(m.direction, m.intent) for m in messages] == [("visitor", "request_human"), ("bot", None)]
    assert escalation.contact_name is escalation.contact_phone is escalation.contact_email is None
    assert escalation.trigger_text is escalation.resolution is None
    assert (escalation.reason, escalation.status, escalation.contact_consent) == (
        "requested_human",
        "closed",
        True,
    )
    assert as_utc(escalation.updated_at) == before  # a purge is not a staff change
    assert notes == [None, None]

    messages, escalation, notes = conversation_state("web-recent")
    assert messages[0].text == "電話は090-1234-5678です"
    assert escalation.contact_phone == "090-1234-5678"
    assert notes == ["人と話したい", "折り返す"]


def test_purging_twice_changes_nothing_the_second_time(store):
    with_retries(lambda session: purge_transcripts(session, retention_days=90))
    assert with_retries(lambda session: purge_transcripts(session, retention_days=90)) == (0, 0, 0)


def test_the_retention_period_comes_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("CHIZAI_TRANSCRIPT_RETENTION_DAYS", "7")
    get_settings.cache_clear()
    result = run_purge()
    assert (result.conversations, result.messages, result.escalations) == (2, 4, 2)


def test_the_purge_command_purges_transcripts_and_logs_what_it_did(store, caplog):
    with caplog.at_level(logging.INFO, logger="bot.privacy.retention"):
        purge()
    assert "texts removed from 2 messages in 1 conversations idle over 90 days" in caplog.text
    assert "090" not in caplog.text
    with session_factory()() as session:
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "purge"))
    assert entry.actor == "system:purge"
    assert entry.detail == (
        "conversations=1 messages=2 escalations=1 bookings=0 rasa_conversations=0 line_users=0 log_files=0"
    )


def test_the_gateway_runs_the_purge_when_it_starts_and_then_daily(store, monkeypatch):
    monkeypatch.setenv("CHIZAI_PURGE_INTERVAL_HOURS", "24")
    get_settings.cache_clear()

    async def run_for_a_moment():
        async with scheduled_purge():
            for _ in range(50):
                await asyncio.sleep(0.05)
                if conversation_state("web-old")[0][0].text == PURGED_TEXT:
                    return True
        return False

    assert asyncio.run(run_for_a_moment())


def test_the_daily_purge_can_be_switched_off(store, monkeypatch):
    monkeypatch.setenv("CHIZAI_PURGE_INTERVAL_HOURS", "0")
    get_settings.cache_clear()

    async def tasks_while_running() -> set[str]:
        async with scheduled_purge():
            return {task.get_name() for task in asyncio.all_tasks()}

    assert "daily-purge" not in asyncio.run(tasks_while_running())
    assert conversation_state("web-old")[0][0].text != PURGED_TEXT


def rasa_tracker_store(path, senders_and_ages: dict[str, timedelta]) -> str:
    """A tracker store in Rasa's SQL layout (one ``events`` table), a few events per sender."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
                "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
                "action_name VARCHAR(255), data TEXT)"
            )
        )
        for sender, age in senders_and_ages.items():
            last = (utcnow() - age).timestamp()
            for offset, kind in ((60, "action"), (30, "user"), (0, "bot")):
                connection.execute(
                    text(
                        "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :k, :t, '{}')"
                    ),
                    {"s": sender, "k": kind, "t": last - offset},
                )
    engine.dispose()
    return url


def senders_in(url: str) -> set[str]:
    engine = create_engine(url)
    with engine.connect() as connection:
        senders = set(connection.scalars(text("SELECT DISTINCT sender_id FROM events")))
    engine.dispose()
    return senders


def test_rasa_conversations_idle_past_retention_are_deleted_from_its_tracker_store(tmp_path):
    url = rasa_tracker_store(tmp_path / "tracker.db", {"web-old": OLD, "web-recent": RECENT})
    assert purge_rasa_trackers(url, 90) == 1
    assert senders_in(url) == {"web-recent"}
    assert purge_rasa_trackers(url, 90) == 0


def test_a_tracker_store_rasa_has_not_written_yet_is_left_alone(tmp_path):
    missing = tmp_path / "never-written.db"
    assert purge_rasa_trackers(f"sqlite:///{missing}", 90) == 0
    assert not missing.exists()


def test_the_purge_covers_rasas_tracker_store_and_says_so(store, tmp_path, monkeypatch):
    url = rasa_tracker_store(tmp_path / "tracker.db", {"web-old": OLD, "web-recent": RECENT})
    monkeypatch.setenv("CHIZAI_RASA_TRACKER_URL", url)
    get_settings.cache_clear()
    assert run_purge().rasa_conversations == 1
    assert senders_in(url) == {"web-recent"}


def test_a_returning_visitor_s_old_sessions_go_but_never_the_current_one(tmp_path):
    url = rasa_tracker_store(tmp_path / "tracker.db", {})
    engine = create_engine(url)
    old, now = (utcnow() - OLD).timestamp(), utcnow().timestamp()
    events = [
        ("session_started", old),
        ("user", old),
        ("session_started", old + 1),
        ("user", old + 2),
        ("user", now),
    ]
    with engine.begin() as connection:
        for kind, at in events:
            connection.execute(
                text(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('web-back', :k, :t, '{}')"
                ),
                {"k": kind, "t": at},
            )
    assert purge_rasa_trackers(url, 90) == 0  # the visitor is still here
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT type_name, timestamp FROM events ORDER BY id")).all()
    engine.dispose()
    assert kept == events[2:]  # the current session, begun past the period, stays whole


def test_line_ids_and_events_are_forgotten_when_no_longer_needed(store):
    now = utcnow()
    with session_factory().begin() as session:
        session.add_all(
            [
                LineEvent(webhook_event_id="old", received_at=now - timedelta(days=8)),
                LineEvent(webhook_event_id="new", received_at=now - timedelta(hours=1)),
                LineFollower(user_id="U-follows", following=True, updated_at=now - timedelta(days=2)),
                LineFollower(user_id="U-just-followed", following=True, updated_at=now - timedelta(hours=1)),
                LineFollower(user_id="U-left", following=False, updated_at=now - timedelta(days=10)),
                LineFollower(user_id="U-left-long-ago", following=False, updated_at=now - OLD),
            ]
        )
    assert run_purge().line_users == 2
    with session_factory()() as session:
        assert set(session.scalars(select(LineEvent.webhook_event_id))) == {"new"}
        assert set(session.scalars(select(LineFollower.user_id))) == {"U-just-followed", "U-left"}


def test_rotated_logs_past_their_period_are_deleted(store):
    folder = get_settings().log_dir
    folder.mkdir(parents=True, exist_ok=True)
    old, recent, live = folder / "gateway.log.1", folder / "rasa.log.1", folder / "gateway.log"
    for path in (old, recent, live):
        path.write_text("x")
    stale = time.time() - 15 * 86400
    os.utime(old, (stale, stale))
    os.utime(live, (stale, stale))
    assert run_purge().log_files == 1
    assert not old.exists() and recent.exists() and live.exists()


def test_the_purge_forgets_old_sign_in_attempts_and_expired_staff_sessions_only(store):
    def work(session):
        user, _ = save_user(session, "sato@example.jp", "staff", "kD8#vR2!qLm9wZt4")
        session.flush()
        session.add_all(
            [
                LoginAttempt(email="sato@example.jp", ip="192.0.2.1", succeeded=False,
                             attempted_at=utcnow() - timedelta(days=31)),
                LoginAttempt(email="sato@example.jp", ip="192.0.2.1", succeeded=True,
                             attempted_at=utcnow() - timedelta(days=29)),
                StaffSession(id="e" * 64, user_id=user.id, csrf_token="x", expires_at=utcnow() - timedelta(minutes=1)),
                StaffSession(id="l" * 64, user_id=user.id, csrf_token="x", expires_at=utcnow() + timedelta(hours=1)),
            ]
        )  # fmt: skip

    with_retries(work)
    run_purge()
    with session_factory()() as session:
        assert session.scalars(select(LoginAttempt.succeeded)).all() == [True]
        assert session.scalars(select(StaffSession.id)).all() == ["l" * 64]


def test_the_rest_of_the_purge_runs_when_rasas_tracker_store_is_down(store, monkeypatch, caplog):
    with socket.socket() as probe:  # a PostgreSQL port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CHIZAI_RASA_TRACKER_URL", f"postgresql+psycopg://rasa:x@127.0.0.1:{port}/rasa")
    get_settings.cache_clear()
    with caplog.at_level(logging.ERROR):
        result = run_purge()
    assert (result.rasa_conversations, result.conversations, result.escalations) == (0, 1, 1)
    assert conversation_state("web-old")[0][0].text == PURGED_TEXT
    assert "tracker store could not be purged" in caplog.text
