"""Hand-off rules: urgency, one open escalation per conversation, pause until closed or restart."""

import re

import pytest
from sqlalchemy import select

from bot.core.db import migrate, session_factory
from bot.escalation.models import Escalation, EscalationEvent
from bot.escalation.service import (
    close_escalation,
    finish_handoff,
    hand_off,
    held_for_staff,
    needs_contact,
    open_escalation,
    status,
)
from bot.escalation.urgency import LEARNED_REASON, likely_urgent_reason, urgent_reason
from bot.reading.contact import Contact, parse_contact


@pytest.mark.parametrize(
    "text",
    [
        "他社から警告状が届きました",
        "内容証明で通知書が来た",
        "訴状が届いて困っています",
        "税関で輸入が止められた",
        "回答期限は明日までです",
        "明後日までに返答しないといけない",
        "うちの商品の偽物がネットで販売されている",
    ],
)
def test_urgent_matters_are_recognised(text):
    assert urgent_reason(text)


@pytest.mark.parametrize("text", ["特許の期間は？", "警備会社の契約について", "模倣品対策の助成はありますか"])
def test_ordinary_questions_are_not_urgent(text):
    assert urgent_reason(text) is None


@pytest.fixture
def session(settings_env):
    migrate()
    with session_factory().begin() as session:
        yield session


def test_one_open_escalation_per_conversation_raised_when_urgent(session):
    first = open_escalation(session, "web-a", "requested_human", "人と話したい")
    again = open_escalation(session, "web-a", "urgent", "警告状が届いた")
    assert again.id == first.id
    assert (again.priority, again.reason) == ("high", "urgent")
    actions = session.scalars(select(EscalationEvent.action).where(EscalationEvent.escalation_id == first.id))
    assert list(actions) == ["opened", "raised"]


def test_contact_only_with_consent_and_the_bot_goes_on_answering_until_closed(session):
    escalation = open_escalation(session, "web-b", "requested_human", None)
    assert needs_contact(escalation)
    assert re.fullmatch(r"R-[2-9A-HJ-NP-Z]{6}", escalation.reference)
    finish_handoff(session, "web-b", Contact(email="a@example.com"), "山田")
    assert (escalation.contact_consent, escalation.contact_email) == (True, "a@example.com")
    assert held_for_staff(session, "web-b") is None  # nobody talks in the chat: the bot keeps answering
    assert escalation.reference in status(session, "web-b", "まだですか")["text"]
    assert status(session, "web-b", "特許の期間は？") is None
    close_escalation(session, escalation, "staff:sato", "電話で回答済み")
    assert status(session, "web-b", "まだですか") is None
    assert session.scalar(select(Escalation.status).where(Escalation.id == escalation.id)) == "closed"
    assert open_escalation(session, "web-b", "requested_human", None).id != escalation.id


def test_declined_contact_stores_nothing_and_the_escalation_stays_open_for_staff(session):
    escalation = open_escalation(session, "web-c", "repeated_fallback", None)
    finish_handoff(session, "web-c", None, "should not be kept")
    assert (escalation.contact_consent, escalation.contact_name) == (False, None)
    assert held_for_staff(session, "web-c") is None
    assert escalation.status == "open"


@pytest.mark.parametrize(
    ("text", "phone", "email"),
    [
        ("090-1234-5678", "090-1234-5678", None),
        ("０３（３８３２）３６５６", "03-3832-3656", None),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ です", None, "taro@example.com"),
        ("電話0312345678 メール a.b@example.co.jp", "03-1234-5678", "a.b@example.co.jp"),
    ],
)
def test_contacts_are_validated_and_normalised(text, phone, email):
    assert parse_contact(text) == Contact(phone=phone, email=email)


@pytest.mark.parametrize("text", ["12345", "山田です", "taro@", "0120"])
def test_invalid_contacts_are_refused(text):
    assert parse_contact(text) is None


@pytest.mark.parametrize("text", ["yamada@example.com", "090-1234-5678", "12345", "山田", "はい"])
def test_a_contact_a_number_or_a_word_alone_is_never_urgent(text):
    assert urgent_reason(text) is None and likely_urgent_reason(text) is None


@pytest.mark.parametrize(
    "text",
    ["相手の弁護士から電話があって、今週中に返事をくれと言われて困っています",
     "ネットショップで当社の商品と全く同じデザインの商品が売られていました"],
)  # fmt: skip
def test_the_learned_model_finds_urgency_the_rules_miss_and_says_where_it_came_from(text):
    assert urgent_reason(text) is None  # it does not interrupt the turn
    assert likely_urgent_reason(text) == LEARNED_REASON  # it raises a hand-off's priority


def test_a_hand_off_the_learned_model_finds_urgent_is_filed_as_urgent(session):
    text = "相手の弁護士から電話があって、今週中に返事をくれと言われて困っています。担当者と話したい"
    hand_off(session, "web-learned", "requested_human", text)
    escalation = session.scalar(select(Escalation).where(Escalation.sender_id == "web-learned"))
    assert (escalation.reason, escalation.priority) == ("urgent", "high")
