"""Staffed hours, staff on duty and the live hand-off, on a real database with a fixed clock."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from sqlalchemy import select

from bot.core.config import get_settings
from bot.core.db import migrate, session_factory
from bot.escalation import live
from bot.escalation.models import Escalation, EscalationEvent
from bot.escalation.service import (
    change_contact,
    file_if_urgent,
    finish_handoff,
    hand_off,
    held_for_staff,
    resume_bot,
    status,
)
from bot.models import Message
from bot.notify.models import OutgoingMail
from bot.reading.contact import Contact
from bot.staffing import duty, hours

WEEKDAYS_NINE_TO_FIVE = dict.fromkeys(range(5), ("09:00", "17:00"))
TUESDAY_10 = "2026-12-01T10:00:00+09:00"
TUESDAY_20 = "2026-12-01T20:00:00+09:00"


@pytest.fixture
def session(settings_env):
    migrate()
    with session_factory().begin() as session:
        yield session


def test_no_hours_by_default_means_no_person_is_ever_implied(session):
    assert duty.availability(session).presence is duty.Presence.NO_HOURS
    told = hand_off(session, "web-n", "requested_human", "担当者と話したい")
    assert "直接やり取りすることはできません" in told.messages[0]["text"]
    assert "03-3832-3656" in told.messages[0]["text"] and told.needs_contact


def test_hours_are_described_and_closed_on_holidays_and_closed_days(session):
    hours.save_pattern(session, {**WEEKDAYS_NINE_TO_FIVE, 5: ("10:00", "12:00")})
    assert hours.describe(session) == "月〜金 9:00〜17:00、土 10:00〜12:00(祝日・休業日を除く)"
    hours.add_closed_day(session, date(2026, 12, 29), "年末年始")
    assert hours.period_on(session, date(2026, 12, 29)) is None
    assert hours.period_on(session, date(2027, 1, 11)) is None  # 成人の日
    assert hours.period_on(session, date(2026, 12, 1)) is not None
    with pytest.raises(hours.HoursError):
        hours.save_pattern(session, {0: ("17:00", "09:00")})


def test_off_hours_the_visitor_is_told_the_hours_and_on_duty_is_refused(session):
    hours.save_pattern(session, WEEKDAYS_NINE_TO_FIVE)
    with time_machine.travel(TUESDAY_20, tick=False):
        with pytest.raises(duty.DutyError):
            duty.go_on_duty(session, "sato@example.jp")
        told = hand_off(session, "web-o", "requested_human", "人と話したい")
        assert "対応する時間外です(対応時間: 月〜金 9:00〜17:00" in told.messages[0]["text"]
        assert told.needs_contact
        assert "担当者の確認をお待ち" in status(session, "web-o", "まだですか")["text"]


def test_live_hand_off_queue_staff_reply_and_hand_back(session):
    hours.save_pattern(session, WEEKDAYS_NINE_TO_FIVE)
    with time_machine.travel(TUESDAY_10, tick=False):
        assert duty.availability(session).presence is duty.Presence.NOBODY_ON_DUTY
        duty.go_on_duty(session, "sato@example.jp")
        first = hand_off(session, "web-1", "requested_human", "担当者と話したい")
        second = hand_off(session, "web-2", "requested_human", "人と話せますか")
        urgent = hand_off(session, "web-3", "requested_human", "警告書が届きました。至急話したい")
        assert "いま1番目です" in first.messages[0]["text"] and not first.needs_contact
        assert "いま2番目です" in second.messages[0]["text"]
        assert "いま1番目です" in urgent.messages[0]["text"] and "03-3832-3656" in urgent.messages[0]["text"]
        assert "いま3番目です" in status(session, "web-2", "まだですか")["text"]

        waiting = held_for_staff(session, "web-1")
        assert waiting is not None and waiting.held and "お送りしました" in waiting.message["text"]
        row = session.scalars(select(Escalation).where(Escalation.sender_id == "web-1")).one()
        live.reply(session, row, "sato@example.jp", "佐藤", "佐藤です。ご用件をどうぞ。")
        assert (row.status, row.assigned_to, row.bot_paused) == ("in_progress", "sato@example.jp", True)
        assert "担当者が対応しています" in status(session, "web-1", "まだですか")["text"]
        written = session.scalars(select(Message).where(Message.status == "live").order_by(Message.id)).all()
        assert [(m.direction, m.author) for m in written] == [("bot", None), ("staff", "佐藤")]

        assert live.hand_back(session, row, "sato@example.jp")["text"].startswith(
            "担当者との会話を終えました"
        )
        assert held_for_staff(session, "web-1") is None


def test_when_the_staff_member_goes_off_duty_the_bot_takes_over_and_says_so(session):
    hours.save_pattern(session, WEEKDAYS_NINE_TO_FIVE)
    with time_machine.travel(TUESDAY_10, tick=False):
        duty.go_on_duty(session, "sato@example.jp")
        hand_off(session, "web-x", "requested_human", "担当者と話したい")
        duty.go_off_duty(session, "sato@example.jp")
        holding = held_for_staff(session, "web-x")
        assert holding is not None and not holding.held
        assert "対応できなくなりました" in holding.message["text"]
        assert held_for_staff(session, "web-x") is None


def test_back_to_bot_keeps_the_escalation_open(session):
    hours.save_pattern(session, WEEKDAYS_NINE_TO_FIVE)
    with time_machine.travel(TUESDAY_10, tick=False):
        duty.go_on_duty(session, "sato@example.jp")
        hand_off(session, "web-b", "requested_human", "担当者と話したい")
        told = resume_bot(session, "web-b")
        assert told is not None and "チャットボットに戻りました" in told["text"]
        assert held_for_staff(session, "web-b") is None and resume_bot(session, "web-b") is None


def test_urgency_inside_a_form_files_urgent_once_and_mails_staff(session, monkeypatch):
    monkeypatch.setenv("CHIZAI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHIZAI_URGENT_MAIL_TO", "team@example.jp")
    get_settings.cache_clear()
    told = file_if_urgent(
        session, "web-u", "実は競合から警告状が届いていて、来週までに回答しろと言われています"
    )
    assert (
        len(told) == 1 and "優先してお伝えしました" in told[0]["text"] and "03-3832-3656" in told[0]["text"]
    )
    assert file_if_urgent(session, "web-u", "訴状も届きました") == []
    assert file_if_urgent(session, "web-v", "商標の登録期間は？") == []
    mail = session.scalars(select(OutgoingMail)).one()
    assert mail.to_address == "team@example.jp" and "[緊急]" in mail.subject
    assert "警告状" not in mail.body  # the visitor's words stay behind the sign-in


def test_a_call_back_contact_can_be_changed_later(session):
    hand_off(session, "web-c", "requested_human", "担当者と話したい")
    finish_handoff(session, "web-c", Contact(phone="090-1234-5678"), "山田")
    assert change_contact(session, "web-c", "ありがとうございます") is None
    told = change_contact(session, "web-c", "やっぱりメールでお願いします yamada@example.jp")
    assert told is not None and "yamada@example.jp" not in told["text"] and "変更しました" in told["text"]
    actions = session.scalars(select(EscalationEvent.action)).all()
    assert "contact_changed" in actions
