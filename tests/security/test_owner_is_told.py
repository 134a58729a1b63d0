"""A booking cancelled or changed, by anyone, is told to its e-mail address through a real SMTP
server (aiosmtpd on loopback); without a server nothing is queued."""

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bot.booking.dialogue import cancel_or_change, check_cancel_contact
from bot.booking.service import BookingRequest, change_booking, create_booking, find_booking
from bot.core.config import get_settings
from bot.core.db import migrate, session_factory, with_retries
from bot.escalation.service import open_escalation
from bot.notify import mail
from bot.notify.models import OutgoingMail
from bot.reading.contact import Contact
from scripts.system import free_port
from tests.smtp import Inbox, smtp_server


@pytest.fixture
def inbox(settings_env, monkeypatch) -> Iterator[Inbox]:
    with smtp_server(monkeypatch) as received:
        yield received


def booked(email: str = "owner@example.jp") -> str:
    request = BookingRequest("general", "akihabara", datetime(2026, 12, 1, 10), Contact(email=email))
    return with_retries(lambda s: create_booking(s, request)).number


def outbox() -> int:
    with session_factory()() as session:
        return session.scalar(select(func.count()).select_from(OutgoingMail)) or 0


def test_a_cancel_from_another_chat_is_told_to_the_booking_s_address(inbox, calendar):
    number = booked()
    assert with_retries(lambda s: check_cancel_contact(s, "web-someone", number, "owner@example.jp"))
    with_retries(lambda s: cancel_or_change(s, "web-someone", number, "cancel", None))
    assert mail.send_pending() == 1
    [(to, content)] = inbox.mails
    assert to == ["owner@example.jp"]
    assert number in content and outbox() == 0


def test_a_change_by_staff_is_told_too(inbox, calendar):
    number = booked()

    def move(session):
        change_booking(session, find_booking(session, number, "owner@example.jp"), datetime(2026, 12, 2, 15))

    with_retries(move)
    assert mail.send_pending() == 1
    [(to, content)] = inbox.mails
    assert to == ["owner@example.jp"] and "12/2(水) 15:00 に変更されました" in content


def test_an_unreachable_server_keeps_the_mail_for_a_retry(inbox, calendar, monkeypatch):
    number = booked()
    monkeypatch.setenv("CHIZAI_SMTP_PORT", str(free_port()))  # nobody listens there
    get_settings.cache_clear()
    with_retries(
        lambda s: (
            cancel_or_change(s, "web-x", number, "cancel", None)
            if check_cancel_contact(s, "web-x", number, "owner@example.jp")
            else None
        )
    )
    assert mail.send_pending() == 0 and outbox() == 1


def test_without_a_server_nothing_is_queued(calendar):
    number = booked()
    with_retries(lambda s: check_cancel_contact(s, "web-x", number, "owner@example.jp"))
    with_retries(lambda s: cancel_or_change(s, "web-x", number, "cancel", None))
    assert outbox() == 0


def test_each_new_urgent_case_is_mailed_to_the_staff_address_without_the_visitor_s_words(inbox, monkeypatch):
    monkeypatch.setenv("CHIZAI_URGENT_MAIL_TO", "chizai-staff@example.jp")
    monkeypatch.setenv("CHIZAI_STAFF_BASE_URL", "https://staff.example.jp")
    get_settings.cache_clear()
    migrate()
    words = "警告状が届きました。山田の電話は03-1234-5678です"
    urgent = with_retries(lambda s: open_escalation(s, "web-urgent", "urgent", words))
    with_retries(lambda s: open_escalation(s, "web-calm", "requested_human", "人と話したい"))
    assert mail.send_pending() == 1  # the normal case is not mailed
    [(to, content)] = inbox.mails
    assert to == ["chizai-staff@example.jp"]
    assert (
        urgent.reference in content and f"https://staff.example.jp/staff/escalations/{urgent.id}" in content
    )
    assert "警告状" not in content and "03-1234-5678" not in content and "山田" not in content
