"""Feedback on answers: the buttons under every answer, what pressing them stores and replies, and
what staff read of it."""

from datetime import timedelta

import pytest

from bot.catalogue.seed import seed_catalogue
from bot.core.clock import now_tokyo
from bot.core.config import get_settings
from bot.core.db import migrate, with_retries
from bot.feedback import analytics
from bot.feedback.models import AnswerFeedback
from bot.feedback.service import NOTED, SORRY, THANKS, UNKNOWN, buttons, feedback_reply
from bot.privacy.forget import forget_conversation
from bot.services import transcript
from bot.services.answers import NOT_IN_THIS_CHAT, program_answer, topic_answer
from bot.staff.analytics import period


@pytest.fixture
def store(settings_env):
    migrate()
    seed_catalogue(get_settings().content_dir / "programs.yml")


def visit(sender: str, text: str = "こんにちは") -> int:
    return with_retries(lambda s: transcript.add_visitor_message(s, sender, "web", text))


def press(sender: str, payload: str) -> dict:
    visit(sender, payload)
    return with_retries(lambda s: feedback_reply(s, sender, payload))


def verdicts() -> list[tuple[str, str, bool, str | None]]:
    rows = with_retries(lambda s: s.query(AnswerFeedback).order_by(AnswerFeedback.id).all())
    return [(r.answer_id, r.topic, r.helpful, r.reason) for r in rows]


def test_every_knowledge_base_answer_and_program_card_ends_with_the_two_feedback_buttons(store):
    [answer] = with_retries(lambda s: topic_answer(s, "v-1", "ask_patent", "特許の存続期間は？"))
    assert answer["buttons"][-2:] == buttons("faq:patent_term")
    [card] = with_retries(
        lambda s: program_answer(s, "v-1", "外国特許出願費用助成", "gaikoku_tokkyo_shutsugan")
    )
    assert [b["title"] for b in card["buttons"][-2:]] == ["役に立った", "役に立たなかった"]
    assert (
        card["buttons"][-1]["payload"] == '/feedback_not_helpful{"answer":"program:gaikoku_tokkyo_shutsugan"}'
    )


def test_helpful_is_thanked_and_stored_once_per_answer_and_conversation(store):
    [helpful, _] = buttons("faq:patent_term")
    assert press("v-2", helpful["payload"])["text"] == THANKS
    assert press("v-2", helpful["payload"])["text"] == THANKS
    assert verdicts() == [("faq:patent_term", "patent", True, None)]


def test_not_helpful_offers_reasons_and_next_steps_and_the_reason_is_kept(store):
    [_, not_helpful] = buttons("faq:trademark_classes")
    sorry = press("v-3", not_helpful["payload"])
    assert sorry["text"] == SORRY
    titles = [b["title"] for b in sorry["buttons"]]
    assert titles == [
        "質問と違う答えだった",
        "情報が足りない",
        "わかりにくい",
        "相談を予約する",
        "担当者と話す",
    ]
    assert press("v-3", sorry["buttons"][1]["payload"])["text"] == NOTED
    assert verdicts() == [("faq:trademark_classes", "trademark", False, "not_enough")]


def test_a_changed_mind_replaces_the_verdict(store):
    [helpful, not_helpful] = buttons("faq:patent_term")
    press("v-4", not_helpful["payload"])
    press("v-4", helpful["payload"])
    assert verdicts() == [("faq:patent_term", "patent", True, None)]


@pytest.mark.parametrize(
    "typed",
    [
        '/feedback_helpful{"answer":"faq:no_such_entry"}',
        '/feedback_helpful{"answer":"program:no_such_program"}',
    ],
)
def test_a_forged_button_for_no_known_answer_stores_nothing(store, typed):
    assert press("v-5", typed)["text"] == UNKNOWN
    assert verdicts() == []


def test_ordinary_text_is_no_feedback(store):
    visit("v-6")
    assert with_retries(lambda s: feedback_reply(s, "v-6", "役に立った")) is None


def test_deleting_a_conversation_deletes_its_feedback(store):
    press("v-7", buttons("faq:patent_term")[0]["payload"])
    with_retries(lambda s: forget_conversation(s, "v-7"))
    assert verdicts() == []


def test_staff_see_the_helpful_share_per_topic_and_the_least_helpful_answers(store):
    for sender, index in (("a", 0), ("b", 0), ("c", 1)):
        press(f"v-{sender}", buttons("faq:patent_term")[index]["payload"])
    press("v-d", buttons("faq:trademark_classes")[1]["payload"])
    days, since = period(7, now_tokyo().date())
    figures = with_retries(lambda s: analytics.figures(s, days, since))
    assert figures.total == 4 and figures.share == 50
    assert figures.topics == [("特許・実用新案", pytest.approx(200 / 3), 3), ("商標", 0, 1)]
    assert [a.answer_id for a in figures.least_helpful] == ["faq:trademark_classes", "faq:patent_term"]
    assert figures.least_helpful[0].title == "区分とは"
    assert figures.daily_share[-1] == 50 and figures.daily_share[0] is None


def test_staff_see_the_questions_no_entry_answered_masked(store):
    message_id = visit("v-e", "法人税の申告期限は? 連絡は 090-1234-5678 まで")
    transcript.record_outcome(message_id, "answered", [{"text": NOT_IN_THIS_CHAT, "buttons": []}])
    _, since = period(7, now_tokyo().date())
    [question] = with_retries(
        lambda s: analytics.unanswered(s, since - timedelta(days=1), (NOT_IN_THIS_CHAT,))
    )
    assert "法人税" in question.text and "090-1234-5678" not in question.text
