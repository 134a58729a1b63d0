"""The summary staff act on: topic and right, a stated deadline, company and booking number, the
turns the bot could not answer, and Japanese labels instead of intent codes and payloads."""

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from bot.booking.calendar import seed_calendar
from bot.booking.models import Booking
from bot.core.config import get_settings
from bot.core.db import migrate, session_factory, with_retries
from bot.escalation.models import record_step
from bot.escalation.service import open_escalation
from bot.escalation.urgency import stated_deadline
from bot.models import Conversation, Message
from bot.reading.names import company_named
from bot.staff.escalations import detail_version, list_version, transcript
from bot.staff.summary import summarize, trigger_label
from tests.unit.test_staff_auth import STAFF, db, quick_hashes, sign_in  # noqa: F401 (fixtures)

SENDER = "web-summary"
MENU = [{"title": "担当者と話す", "payload": "/request_human"}]


def say(session, *turns: tuple[str, str, str | None]) -> None:
    """Visitor and bot turns (direction, text, intent) of the summary's conversation."""
    conversation = session.scalar(select(Conversation).where(Conversation.sender_id == SENDER))
    if conversation is None:
        conversation = Conversation(sender_id=SENDER, channel="web")
        session.add(conversation)
        session.flush()
    for direction, text, intent in turns:
        buttons = json.dumps(MENU) if direction == "bot" else None
        session.add(
            Message(conversation_id=conversation.id, direction=direction, text=text, intent=intent,
                    buttons=buttons, status="answered")
        )  # fmt: skip
    session.flush()


@pytest.fixture
def session(settings_env):
    migrate()
    with session_factory().begin() as session:
        yield session


WARNING_LETTER = [
    ("visitor", "株式会社ミドリ電機の鈴木です", "inform"),
    ("bot", "ご用件をどうぞ。", None),
    ("visitor", "うちのロゴが他社の商標に似ていると警告書が届きました。12月10日までに回答しろとのことです", "ask_infringement"),
    ("bot", "警告書が届いた場合は…", None),
    ("visitor", "ふがふがほげ", "nlu_fallback"),
    ("bot", "すみません、うまく理解できませんでした。", None),
    ("visitor", "予約番号CZ-7K3M9Pの件もあります", "cancel_consultation"),
    ("bot", "ご用件をどうぞ。", None),
    ("visitor", "/request_human", "request_human"),
]  # fmt: skip


def test_the_summary_reads_topic_right_deadline_company_booking_and_the_failed_turns(session):
    say(session, *WARNING_LETTER)
    escalation = open_escalation(session, SENDER, "urgent", "/request_human")
    summary = summarize(session, SENDER, escalation.trigger_text, transcript(session, SENDER))
    assert summary.topics == ("侵害・警告状",)
    assert summary.rights == ("商標",)
    assert summary.deadline == "12月10日まで"
    assert summary.urgency == "相手方からの警告・請求・手続"
    assert summary.company == "株式会社ミドリ電機"
    assert summary.booking_numbers == ("CZ-7K3M9P",)
    assert summary.unanswered == ("ふがふがほげ",)
    assert summary.trigger == "ボタン「担当者と話す」"


def test_a_booking_gives_the_company_and_number_and_a_quiet_conversation_gives_none(session):
    say(session, ("visitor", "相談は無料ですか", "ask_center_info"))
    summary = summarize(session, SENDER, "相談は無料ですか", transcript(session, SENDER))
    assert (summary.topics, summary.rights, summary.deadline, summary.company) == ((), (), None, None)
    assert (summary.booking_numbers, summary.unanswered, summary.urgency) == ((), (), None)
    seed_calendar(session, get_settings().calendar_file)
    session.flush()
    session.add(
        Booking(number="CZ-ABCDEF", access_key="k", sender_id=SENDER, kind_id="general", place_id="akihabara",
                slot_start=datetime(2026, 12, 8, 10), slot_minutes=60, company="有限会社アオト")
    )  # fmt: skip
    session.flush()
    summary = summarize(session, SENDER, None, transcript(session, SENDER))
    assert (summary.company, summary.booking_numbers, summary.trigger) == (
        "有限会社アオト",
        ("CZ-ABCDEF",),
        "(発言なし)",
    )


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("２週間以内に返事をくださいと書かれていました", "2週間以内"),
        ("期限は来週の金曜です", "来週の金曜"),
        ("金曜までに契約書にサインしないといけない", "金曜まで"),
        ("回答期限は今月末です", "今月末"),
        ("特許の期間は何年ですか", None),
        ("来週の火曜に予約したい", None),
    ],
)
def test_a_deadline_is_read_as_the_visitor_wrote_it(text, deadline):
    assert stated_deadline(text) == deadline


@pytest.mark.parametrize(
    ("text", "company"),
    [("大学発ベンチャーの株式会社ヒカリメディカルで研究開発をしています", "株式会社ヒカリメディカル"),
     ("ミドリ電機合同会社です", "ミドリ電機合同会社"), ("個人でやっています", None)],
)  # fmt: skip
def test_a_company_is_named_with_its_legal_form(text, company):
    assert company_named(text) == company


def test_a_payload_is_shown_as_what_the_button_means():
    assert trigger_label("/request_human") == "ボタン操作(担当者希望)"
    assert trigger_label("/unknown{}") == "ボタン操作"
    assert trigger_label(None) == "(発言なし)"
    assert trigger_label("人と話したい") == "人と話したい"


def test_staff_read_the_summary_with_japanese_labels_never_intent_codes_or_payloads(client, db):  # noqa: F811
    def setup(session):
        say(session, *WARNING_LETTER)
        return open_escalation(session, SENDER, "urgent", "/request_human").id

    escalation_id = with_retries(setup)
    client.follow_redirects = False
    sign_in(client, STAFF)
    page = client.get(f"/staff/escalations/{escalation_id}").text
    for shown in (
        "侵害・警告状",
        "商標",
        "12月10日まで",
        "株式会社ミドリ電機",
        "CZ-7K3M9P",
        "ふがふがほげ",
        "ボタン「担当者と話す」",
    ):
        assert shown in page
    listing = client.get("/staff/escalations").text
    assert "侵害・警告状" in listing, listing[-3000:]
    assert "ボタン操作(担当者希望)" in listing
    for code in ("ask_infringement", "nlu_fallback", "request_human", "cancel_consultation"):
        assert code not in page.replace("/staff/", "") and code not in listing


def test_the_versions_the_pages_poll_change_with_a_new_case_message_or_step(session):
    before = list_version(session)
    say(session, ("visitor", "担当者と話したい", "request_human"))
    escalation = open_escalation(session, SENDER, "requested_human", "担当者と話したい")
    assert list_version(session) != before
    seen = detail_version(session, escalation)
    say(session, ("visitor", "まだですか", "inform"))
    assert detail_version(session, escalation) != seen
    seen = detail_version(session, escalation)
    record_step(session, escalation, "staff@example.jp", "note", "折り返す")
    session.flush()
    assert detail_version(session, escalation) != seen
