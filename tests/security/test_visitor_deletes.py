"""The visitor's side of personal data: their own conversation deleted on request (web and the
LINE keyword), a cancelled booking's personal fields gone at once, and the notice they can read."""

from datetime import datetime

from sqlalchemy import select

from bot.booking.models import Booking
from bot.booking.service import BookingRequest, cancel_booking, create_booking
from bot.core.config import get_settings
from bot.core.db import session_factory, with_retries
from bot.escalation.models import Escalation
from bot.escalation.service import hand_off
from bot.models import Conversation
from bot.privacy.forget import FORGOTTEN, asks_to_forget
from bot.privacy.models import HeldContact
from bot.reading.contact import Contact


def test_the_web_visitor_deletes_their_conversation_and_what_is_held_for_it(client):
    sender = "web-forget-me"
    client.post("/api/chat", json={"sender_id": sender, "text": "電話は03-3832-3656、特許の相談です"})
    with_retries(lambda s: hand_off(s, sender, "requested_human", "電話は[電話番号]、特許の相談です"))

    answer = client.post("/api/chat/forget", json={"sender_id": sender})

    assert answer.status_code == 200 and answer.json()["messages"][0]["text"] == FORGOTTEN
    assert client.get("/api/chat/history", params={"sender_id": sender}).json()["messages"] == []
    with session_factory()() as session:
        assert session.scalar(select(Conversation).where(Conversation.sender_id == sender)) is None
        assert session.scalar(select(HeldContact)) is None
        assert (
            session.scalar(select(Escalation.trigger_text)) is None
        )  # staff keep the request, not the words
    assert client.post("/api/chat/forget", json={"sender_id": "U-line-id"}).status_code == 400


def test_the_line_keyword_asks_for_the_deletion_and_nothing_else_does():
    assert all(asks_to_forget(t) for t in ("会話を削除", "会話を削除してください。", "履歴を削除"))
    assert not any(asks_to_forget(t) for t in ("予約を削除したい", "会話を削除するとどうなりますか"))


def test_a_cancelled_booking_keeps_no_personal_field(calendar):
    request = BookingRequest(
        "general", "akihabara", datetime(2026, 12, 1, 10), Contact(phone="090-1234-5678"),
        company="株式会社サンプル", person_name="山田太郎", description="新商品の名前", sender_id="web-x",
    )  # fmt: skip
    booking = with_retries(lambda s: create_booking(s, request))
    with session_factory().begin() as session:
        cancel_booking(session, session.get_one(Booking, booking.id))
    with session_factory()() as session:
        kept = session.get_one(Booking, booking.id)
    assert (kept.number, kept.status) == (booking.number, "cancelled")
    assert [kept.company, kept.person_name, kept.phone, kept.email, kept.description] == [None] * 5


def test_the_notice_says_what_is_kept_and_how_long(client):
    page = client.get("/privacy")
    assert page.status_code == 200
    assert f"{get_settings().transcript_retention_days}日" in page.text
    assert "「会話を削除」" in page.text
