"""Contact details typed in the chat: the transcript and the engine get placeholders, the value
is held for the conversation until a booking or call-back takes it, and never past a day."""

from datetime import timedelta

from sqlalchemy import select

from bot.core.clock import utcnow
from bot.core.config import get_settings
from bot.core.db import session_factory, with_retries
from bot.forms import drafts
from bot.models import Message
from bot.privacy import held
from bot.privacy.models import HeldContact
from bot.reading.contact import EMAIL, PHONE
from tests.unit.test_action_endpoint import TOKEN, action_call

TYPED = "予約したいです。電話は０９０ー１２３４ー５６７８、メールはyamada@example.jpです"


def send(client, sender, text):
    return client.post("/api/chat", json={"sender_id": sender, "text": text})


def test_the_transcript_and_history_hold_placeholders_and_the_values_are_held_apart(client):
    assert send(client, "web-held", TYPED).status_code == 200
    with session_factory()() as session:
        texts = session.scalars(select(Message.text).where(Message.direction == "visitor")).all()
        assert held.latest(session, "web-held") == [
            ("phone", "090-1234-5678"),
            ("email", "yamada@example.jp"),
        ]
    assert texts == [f"予約したいです。電話は{PHONE}、メールは{EMAIL}です"]
    history = client.get("/api/chat/history", params={"sender_id": "web-held"}).text
    assert "1234" not in history and "yamada" not in history


def test_only_the_latest_message_s_contacts_are_resolvable(client):
    send(client, "web-held", "電話は03-3832-3656です")
    send(client, "web-held", "よろしくお願いします")
    with session_factory()() as session:
        assert held.latest(session, "web-held") == []
        assert session.scalar(select(HeldContact.value)) == "03-3832-3656"  # kept for the day


def test_an_action_reads_the_held_contact_behind_the_placeholder(client, monkeypatch):
    monkeypatch.setenv("CHIZAI_ENGINE_TOKEN", TOKEN)
    get_settings.cache_clear()
    send(client, "web-held", "０９０ー１２３４ー５６７８")
    tracker = {
        "sender_id": "web-held",
        "slots": {"requested_slot": "booking_contact"},
        "latest_message": {"text": PHONE, "intent": {"name": "inform"}, "entities": []},
        "events": [],
        "active_loop": {"name": "booking_form"},
        "latest_action_name": "action_listen",
    }
    call = action_call("validate_booking_form", tracker)
    response = client.post(f"/engine/actions?token={TOKEN}", json=call)
    assert response.status_code == 200
    assert {
        "event": "slot",
        "name": "booking_contact",
        "value": "入力済み",
        "timestamp": None,
    } in response.json()["events"]
    kept = with_retries(lambda s: drafts.answers(s, "web-held", "booking_form"))
    assert kept == {"booking_contact": "090-1234-5678"}


def test_released_when_a_record_takes_them_and_forgotten_after_a_day(client):
    send(client, "web-a", "電話は03-3832-3656です")
    send(client, "web-b", "a@example.jp")
    with session_factory().begin() as session:
        held.release(session, "web-a")
        assert [v for (v,) in session.execute(select(HeldContact.value))] == ["a@example.jp"]
        assert held.forget_stale(session, utcnow() + timedelta(hours=23)) == 0
        assert held.forget_stale(session, utcnow() + timedelta(hours=25)) == 1
