"""After a booking, a call-back and a conversation with contact details in free text, no raw phone
number or e-mail address is in the transcript, Rasa's tracker store, a log, a free-text column or
a bot reply: only in the booking's and the call-back's own columns."""

import re
import sqlite3
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy.exc import IntegrityError

from bot.core.db import migrate, with_retries
from bot.models import Conversation
from tests.integration.test_booking_conversation import button
from tests.integration.test_conversation import chat

BOOKING_PHONE, BOOKING_EMAIL = "090-2468-1357", "hikari.tanaka@example.jp"
CALL_BACK_PHONE = "03-5550-7788"
CHAT_EMAIL = "info-ask@example.co.jp"
# Each value as it may be stored or shown: as typed, normalised, bare digits.
TRACES = ("2468-1357", "24681357", "hikari.tanaka", "5550-7788", "55507788", "info-ask")


def sender() -> str:
    return f"web-{uuid.uuid4().hex}"


def replies_of(messages) -> str:
    return "\n".join(m["text"] for m in messages)


@pytest.fixture(scope="module")
def conversations(system) -> list[str]:
    """Every bot reply of three conversations that carry contacts in free text."""
    with httpx.Client(base_url=system.gateway_url, timeout=30) as gateway:
        return talk(gateway)


def talk(gateway: httpx.Client) -> list[str]:
    said: list[str] = []
    booking = sender()
    chat(gateway, "新しいブランド名の商標登録について知りたいです", booking)
    kinds = chat(gateway, "この件で相談を予約したいです", booking)
    places = chat(gateway, button(kinds), booking)
    slots = chat(gateway, button(places, "秋葉原本部"), booking)
    chat(gateway, button(slots, index=1), booking)
    for text in (
        "株式会社ヒカリ商事の田中ひかりです",
        f"電話は０９０ー２４６８ー１３５７、メールは{BOOKING_EMAIL}です",
        "新商品の名前を商標登録したい",
        "/affirm",  # consent
        "/affirm",  # the summary
    ):
        said.append(replies_of(chat(gateway, text, booking)))
    assert "予約番号は CZ-" in said[-1]

    call_back = sender()
    for text in (
        "担当者と話したいです",
        "/affirm",
        "株式会社サンプル 佐藤",
        f"{CALL_BACK_PHONE}にお願いします",
    ):
        said.append(replies_of(chat(gateway, text, call_back)))

    said.append(replies_of(chat(gateway, f"資料は{CHAT_EMAIL}に送ってもらえますか", sender())))
    return said


def rows(database: Path, query: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(query).fetchall()


def traces_in(text: str) -> list[str]:
    return [trace for trace in TRACES if trace in text]


def test_the_records_that_need_the_contact_hold_it(system, conversations):
    database = Path(system.database_url.removeprefix("sqlite:///"))
    assert rows(database, "SELECT phone, email FROM bookings") == [(BOOKING_PHONE, BOOKING_EMAIL)]
    assert (CALL_BACK_PHONE,) in rows(database, "SELECT contact_phone FROM escalations")
    assert rows(database, "SELECT count(*) FROM held_contacts") == [(1,)]  # the unclaimed e-mail, for a day


def test_no_bot_reply_shows_a_contact_in_full(conversations):
    assert traces_in("\n".join(conversations)) == []
    assert any(re.search(r"末尾1357|h\*\*\*@example\.jp", said) for said in conversations)


def test_no_transcript_free_text_column_or_draft_holds_a_contact(system, conversations):
    database = Path(system.database_url.removeprefix("sqlite:///"))
    free_text = [
        "SELECT text FROM messages",
        "SELECT company || person_name || coalesce(description, '') FROM bookings",
        "SELECT coalesce(trigger_text, '') || coalesce(contact_name, '') FROM escalations",
        "SELECT answers FROM form_drafts",
    ]
    for query in free_text:
        assert traces_in(" ".join(str(row) for row in rows(database, query))) == [], query


def test_rasa_s_tracker_store_holds_no_contact(system, conversations):
    events = rows(system.tracker_path, "SELECT data FROM events")
    assert events and traces_in(" ".join(data for (data,) in events)) == []


def test_no_log_holds_a_contact(system, conversations):
    for log in system.workdir.glob("*.log"):
        assert traces_in(log.read_text("utf-8", "replace")) == [], log.name


def test_the_gateway_s_database_is_readable_by_its_user_only(system, conversations):
    database = Path(system.database_url.removeprefix("sqlite:///"))
    assert database.stat().st_mode & 0o077 == 0


def test_a_database_error_carries_no_visitor_data(settings_env):
    """A failed insert's traceback wrote the e-mail, name and description into the gateway's log."""
    migrate()
    with_retries(lambda s: s.add(Conversation(sender_id="web-dup", channel="web")))
    with pytest.raises(IntegrityError) as error:
        with_retries(lambda s: s.add(Conversation(sender_id="web-dup", channel="山田太郎 yamada@example.jp")))
    assert "yamada" not in str(error.value) and "山田" not in str(error.value)
