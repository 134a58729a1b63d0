"""The booking form's answers, on trackers built from plain state (no server)."""

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ValidateBookingForm
from bot.core.db import migrate


def tracker(**slots) -> Tracker:
    return Tracker.from_dict(
        {
            "sender_id": "web-test",
            "slots": {"requested_slot": "company", **slots},
            "latest_message": {"text": "", "intent": {"name": "inform"}, "entities": []},
            "events": [],
            "active_loop": {"name": "booking_form"},
            "latest_action_name": "action_listen",
        }
    )


def validate(method: str, value: str, state: Tracker) -> dict:
    form = ValidateBookingForm()
    return asyncio.run(getattr(form, method)(value, CollectingDispatcher(), state, {}))


def test_a_company_answer_with_the_persons_name_fills_both():
    assert validate("validate_company", "株式会社ミドリ電機の鈴木です", tracker()) == {
        "company": "株式会社ミドリ電機",
        "person_name": "鈴木",
    }


def test_a_name_already_given_is_not_overwritten_and_desu_is_dropped():
    assert validate("validate_company", "ミドリ電機の鈴木です", tracker(person_name="鈴木一郎")) == {
        "company": "ミドリ電機"
    }
    assert validate("validate_person_name", "鈴木と申します", tracker()) == {"person_name": "鈴木"}


def test_emoji_or_marks_alone_fill_no_answer():
    state = tracker()
    assert validate("validate_company", "👍", state) == {"company": None}
    assert validate("validate_person_name", "🙏🙏", state) == {"person_name": None}
    assert validate("validate_booking_description", "！？", state) == {"booking_description": None}
    assert validate("validate_booking_description", "新商品のロゴ", state) == {
        "booking_description": "新商品のロゴ"
    }


def test_an_emoji_when_the_topic_is_asked_is_not_the_topic_other():
    form = ValidateBookingForm()
    state = tracker(requested_slot="booking_topic")
    state.latest_message = {"text": "👍", "intent": {"name": "affirm"}, "entities": []}
    assert asyncio.run(form.extract_booking_topic(CollectingDispatcher(), state, {})) == {}
    state.latest_message = {"text": "よくわからない", "intent": {"name": "inform"}, "entities": []}
    assert asyncio.run(form.extract_booking_topic(CollectingDispatcher(), state, {})) == {
        "booking_topic": "other"
    }


def test_kind_and_place_named_in_passing_take_one_lookup_and_none_when_given_or_asked(
    settings_env, monkeypatch
):
    migrate()
    calls = []

    def mentions(session, text):
        calls.append(text)
        return {"consultation_kind": "specialist", "place": "akihabara"}

    monkeypatch.setattr("actions.booking.dialogue.mentions", mentions)
    form = ValidateBookingForm()
    fresh = tracker(requested_slot="booking_topic")
    found = asyncio.run(form.extract_consultation_kind(CollectingDispatcher(), fresh, {}))
    assert found == {"consultation_kind": "specialist", "place": "akihabara"} and len(calls) == 1
    asked = tracker(consultation_kind="general", requested_slot="place")
    assert asyncio.run(form.extract_consultation_kind(CollectingDispatcher(), asked, {})) == {}
    assert len(calls) == 1
