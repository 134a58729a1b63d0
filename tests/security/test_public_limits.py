"""Public limits, each a finding of the personal-data issue: turns per minute per conversation and
per client address, open bookings per contact and per conversation counted one request at a time,
the booking horizon, escalations per hour, and cancel/change tries per hour."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.booking import messages as booking_messages
from bot.booking.calendar import free_slots
from bot.booking.dialogue import CANCEL_FORM, cancel_or_change, check_cancel_contact
from bot.booking.service import BookingError, BookingRequest, create_booking
from bot.conversation import replies
from bot.core.config import Settings, get_settings
from bot.core.db import migrate, session_factory, with_retries
from bot.escalation import messages as handoff_messages
from bot.escalation.models import Escalation
from bot.escalation.service import close_escalation, hand_off
from bot.forms import drafts
from bot.models import Conversation, Message
from bot.reading.contact import Contact


def limit(monkeypatch, **values):
    for name, value in values.items():
        monkeypatch.setenv(f"CHIZAI_{name.upper()}", str(value))
    get_settings.cache_clear()


def send(client, text, sender="web-limits"):
    return client.post("/api/chat", json={"sender_id": sender, "text": text}).json()["messages"]


def test_a_conversation_sending_too_fast_is_asked_to_wait_and_its_messages_are_kept(client, monkeypatch):
    limit(monkeypatch, turns_per_minute_per_sender=3)
    answers = [send(client, f"特許について{n}")[0]["text"] for n in range(5)]
    assert answers[:3] == [replies.ENGINE_UNAVAILABLE] * 3  # the engine is down in these tests
    assert answers[3:] == [replies.TOO_MANY_TURNS] * 2
    assert send(client, "特許について", sender="web-someone-else")[0]["text"] == replies.ENGINE_UNAVAILABLE
    with session_factory()() as session:
        statuses = session.scalars(select(Message.status).where(Message.direction == "visitor")).all()
    assert statuses.count("rate_limited") == 2 and len(statuses) == 6  # nothing typed is lost


def test_one_address_with_many_conversations_is_asked_to_wait(client, monkeypatch):
    limit(monkeypatch, turns_per_minute_per_address=4)
    answers = [send(client, "特許について", sender=f"web-new-{n}")[0]["text"] for n in range(6)]
    assert answers.count(replies.TOO_MANY_TURNS) == 2


def test_relaxed_limits_are_refused_in_production():
    with pytest.raises(ValueError, match="RELAXED"):
        Settings(env="production", relaxed_limits=True)


def free_starts(count: int) -> list[datetime]:
    with session_factory()() as session:
        slots = free_slots(session, "akihabara", "general", datetime(2026, 11, 25, 9), limit=count)
    return [slot.start for slot in slots]


def booking(start: datetime, phone: str, sender: str | None = None) -> str:
    request = BookingRequest("general", "akihabara", start, Contact(phone=phone), sender_id=sender)
    try:
        return with_retries(lambda session: create_booking(session, request)).number
    except BookingError as error:
        return error.code


def test_one_contact_booking_four_slots_at_once_gets_no_more_than_its_cap(calendar):
    """A check-then-insert let one contact book 4 of 4 slots at once."""
    starts = free_starts(4)
    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(lambda start: booking(start, "090-1111-2222"), starts))
    assert sum(o.startswith("CZ-") for o in outcomes) == get_settings().open_bookings_per_contact
    assert outcomes.count("too_many_open_bookings") == 4 - get_settings().open_bookings_per_contact


def test_one_conversation_cannot_book_more_with_new_contacts(calendar):
    starts = free_starts(3)
    outcomes = [booking(start, f"090-2000-000{n}", sender="web-one") for n, start in enumerate(starts)]
    assert [o.startswith("CZ-") for o in outcomes] == [True, True, False]
    assert outcomes[2] == "too_many_for_conversation"


def test_a_booking_past_the_horizon_is_refused_and_another_year_is_shown(calendar):
    far = datetime(2026, 11, 25, 10) + timedelta(days=get_settings().booking_horizon_days + 7)
    assert booking(far, "090-3000-0000") == "too_far"
    assert "90日先まで" in booking_messages.refusal("too_far")
    assert booking_messages.day_label(date(2027, 1, 5)) == "2027/1/5(火)"
    assert booking_messages.day_label(date(2026, 12, 1)) == "12/1(火)"


def test_escalations_per_conversation_are_limited_per_hour(settings_env, monkeypatch):
    limit(monkeypatch, escalations_per_sender_per_hour=2)
    migrate()

    def escalate_and_close(session):
        handoff = hand_off(session, "web-esc", "urgent", "警告状が届いた")
        opened = session.scalar(select(Escalation).where(Escalation.status != "closed"))
        if opened is not None:
            close_escalation(session, opened, "staff", "対応済み")
        return handoff

    outcomes = [with_retries(escalate_and_close) for _ in range(3)]
    assert all(o.needs_contact for o in outcomes[:2])
    assert outcomes[2].messages[-1]["text"] == handoff_messages.TOO_OFTEN


def test_cancel_tries_per_hour_are_limited_and_then_nothing_matches(calendar, monkeypatch):
    limit(monkeypatch, cancel_attempts_per_hour=3)
    number = booking(free_starts(1)[0], "090-4000-0000")

    def tried(sender, contact):
        return with_retries(lambda s: check_cancel_contact(s, sender, number, contact))

    assert not any(tried("web-guess", f"090-9999-000{guess}") for guess in range(3))
    assert not tried("web-guess", "090-4000-0000")
    told = with_retries(lambda s: cancel_or_change(s, "web-guess", number, "cancel", None))
    assert told[0]["text"] == booking_messages.TOO_MANY_CANCEL_TRIES
    # Anyone else, for this number, waits too: the number is guessed no faster from many chats.
    assert not tried("web-other", "090-4000-0000")
    assert with_retries(lambda s: drafts.answers(s, "web-other", CANCEL_FORM)).get("limited") == "yes"


def test_conversations_from_one_address_share_a_cap_and_the_address_is_kept_only_as_a_digest(
    client, calendar, monkeypatch
):
    limit(monkeypatch, open_bookings_per_address=2)
    for n in range(3):
        send(client, "予約したいです", sender=f"web-office-{n}")
    with session_factory()() as session:
        keys = set(
            session.scalars(
                select(Conversation.address_key).where(Conversation.sender_id.like("web-office-%"))
            )
        )
    [key] = keys
    assert key and "testclient" not in key and len(key) == 64
    starts = free_starts(3)
    outcomes = [
        booking(start, f"090-6000-000{n}", sender=f"web-office-{n}") for n, start in enumerate(starts)
    ]
    assert [o.startswith("CZ-") for o in outcomes] == [True, True, False]
    assert outcomes[2] == "too_many_for_address"
