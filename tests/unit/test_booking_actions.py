"""The booking form's answers, on trackers built from plain state (no server)."""

import asyncio
from datetime import date, time

import time_machine
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ValidateBookingForm
from bot.booking import form
from bot.core.config import ROOT
from bot.core.db import migrate, with_retries
from bot.forms import drafts
from bot.forms.drafts import FILLED


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


def answer(slot: str, text: str, intent: str = "inform", **slots) -> dict:
    """What the form's validation makes of ``text`` typed when ``slot`` is asked."""
    state = tracker(requested_slot=slot, **slots)
    state.latest_message = {"text": text, "intent": {"name": intent}, "entities": []}
    return asyncio.run(getattr(ValidateBookingForm(), f"extract_{slot}")(CollectingDispatcher(), state, {}))


def draft() -> dict:
    return with_retries(lambda s: drafts.answers(s, "web-test", "booking_form"))


def test_a_company_answer_with_the_persons_name_fills_both_and_only_the_draft_holds_them(settings_env):
    migrate()
    assert answer("company", "株式会社ミドリ電機の鈴木です") == {"company": FILLED, "person_name": FILLED}
    assert draft() == {"company": "株式会社ミドリ電機", "person_name": "鈴木"}


def test_a_name_already_given_is_not_overwritten_and_desu_is_dropped(settings_env):
    migrate()
    assert answer("company", "ミドリ電機の鈴木です", person_name=FILLED) == {"company": FILLED}
    assert answer("person_name", "鈴木と申します") == {"person_name": FILLED}
    assert draft() == {"company": "ミドリ電機", "person_name": "鈴木"}


def test_emoji_or_marks_alone_fill_no_answer(settings_env):
    migrate()
    assert answer("company", "👍") == {"company": None}
    assert answer("person_name", "🙏🙏") == {"person_name": None}
    assert answer("booking_description", "！？") == {"booking_description": None}
    assert answer("booking_description", "新商品のロゴ") == {"booking_description": FILLED}
    assert draft() == {"booking_description": "新商品のロゴ"}


def test_a_question_asked_instead_of_an_answer_is_left_to_the_digression(settings_env):
    migrate()
    assert answer("company", "相談は無料ですか", intent="ask_center_info") == {}
    assert answer("booking_description", "商標の出願について", intent="ask_trademark") == {
        "booking_description": FILLED
    }
    assert answer("person_name", "やっぱりやめます", intent="deny") == {}


def test_a_contact_is_kept_normalised_in_the_draft_and_a_wrong_one_is_asked_again(settings_env):
    migrate()
    assert answer("booking_contact", "０９０ー１２３４ー５６７８") == {"booking_contact": FILLED}
    assert draft() == {"booking_contact": "090-1234-5678"}
    assert answer("booking_contact", "まだ決めてない") == {"booking_contact": None}
    assert draft() == {}


def test_the_form_is_declared_once_and_domain_yml_follows_it():
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    assert tuple(domain["forms"]["booking_form"]["required_slots"]) == form.SLOTS
    for slot in form.PERSONAL:  # personal answers never reach Rasa's slots from the text
        assert [m["type"] for m in domain["slots"][slot]["mappings"]] == ["custom"]
        assert hasattr(ValidateBookingForm, f"extract_{slot}")


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
    asked = tracker(
        consultation_kind="general",
        booking_slot="2026-12-08T10:00:00",
        booking_contact=FILLED,
        company=FILLED,
        person_name=FILLED,
        booking_description=FILLED,
        requested_slot="place",
    )
    assert asyncio.run(form.extract_consultation_kind(CollectingDispatcher(), asked, {})) == {}
    assert len(calls) == 1


def test_the_form_rules_live_in_the_domain_and_the_cancel_form_follows_domain_yml():
    assert form.topic_for(asked=True, text="よくわからない", ip_type=None, known_ip_type="design") == "other"
    assert form.topic_for(asked=True, text="👍", ip_type=None, known_ip_type=None) is None
    assert form.topic_for(asked=False, text="来週", ip_type=None, known_ip_type="design") == "design"
    assert (
        form.topic_for(asked=False, text="Trade secret の件で", ip_type=None, known_ip_type=None)
        == "trade_secret"
    )
    assert form.topic_for(asked=False, text="ニセモノを売られて", ip_type=None, known_ip_type=None) == "other"
    assert form.correction("place") == {"place": None, "booking_confirmed": None}
    assert form.correction("nonsense") is None
    assert "new_booking_slot" not in form.cancel_questions("cancel")
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    assert tuple(domain["forms"]["cancel_form"]["required_slots"]) == form.cancel_questions("change")


def test_the_contact_given_to_cancel_is_kept_in_the_draft_not_in_the_slot(settings_env):
    from actions.booking import ValidateCancelForm

    migrate()
    state = tracker(requested_slot="cancel_contact", cancel_number="CZ-7K3M9P")
    state.latest_message = {"text": "090-1234-5678", "intent": {"name": "inform"}, "entities": []}
    found = asyncio.run(ValidateCancelForm().extract_cancel_contact(CollectingDispatcher(), state, {}))
    assert found == {"cancel_contact": FILLED, "cancel_choice": "not_found"}  # no such booking
    kept = with_retries(lambda s: drafts.answers(s, "web-test", "cancel_form"))
    assert kept == {"cancel_contact": "090-1234-5678"}


def test_a_contact_given_in_passing_is_kept_before_its_question(settings_env):
    from bot.booking.calendar import seed_calendar
    from bot.core.config import get_settings

    migrate()
    with_retries(lambda s: seed_calendar(s, get_settings().calendar_file))
    state = tracker(requested_slot="booking_topic")
    state.latest_message = {"text": "来週、弁理士さんに相談したいです。suzuki@example.jp", "intent": {"name": "book_consultation"}, "entities": []}  # fmt: skip
    found = asyncio.run(ValidateBookingForm().extract_consultation_kind(CollectingDispatcher(), state, {}))
    assert found == {"consultation_kind": "specialist", "booking_contact": FILLED}
    assert draft() == {"booking_contact": "suzuki@example.jp"}


def test_an_exact_free_day_and_time_given_in_passing_is_the_slot(settings_env):
    from bot.booking.calendar import seed_calendar
    from bot.core.config import get_settings

    migrate()
    with_retries(lambda s: seed_calendar(s, get_settings().calendar_file))
    with time_machine.travel("2026-12-01 10:00 +09:00", tick=False):
        state = tracker(requested_slot="booking_topic")
        state.latest_message = {"text": "12/10の14時に秋葉原で弁理士さんに相談したい", "intent": {"name": "book_consultation"}, "entities": []}  # fmt: skip
        found = asyncio.run(
            ValidateBookingForm().extract_consultation_kind(CollectingDispatcher(), state, {})
        )
        assert found == {
            "consultation_kind": "specialist",
            "place": "akihabara",
            "booking_slot": "2026-12-10T14:00:00",
        }
        vague = tracker(requested_slot="booking_topic", consultation_kind="general", place="akihabara")
        vague.latest_message = {"text": "来週の午後がいい", "intent": {"name": "inform"}, "entities": []}
        # A part of a day is no exact slot: the date question offers what fits.
        assert (
            asyncio.run(ValidateBookingForm().extract_consultation_kind(CollectingDispatcher(), vague, {}))
            == {}
        )


def test_a_first_message_with_the_whole_booking_fills_every_question_it_answers(settings_env):
    from bot.booking.calendar import seed_calendar
    from bot.core.config import get_settings

    migrate()
    with_retries(lambda s: seed_calendar(s, get_settings().calendar_file))
    text = (
        "12/10の14時に秋葉原で商標の相談したい！弁理士さんで。株式会社ネクストリーフの小川です、"
        "ogawa@example.jp 新サービス名の商標とれるか知りたい"
    )
    state = tracker(requested_slot=None)
    state.latest_message = {"text": text, "intent": {"name": "book_consultation"}, "entities": []}
    with time_machine.travel("2026-12-01 10:00 +09:00", tick=False):
        found = asyncio.run(
            ValidateBookingForm().extract_consultation_kind(CollectingDispatcher(), state, {})
        )
    assert found == {
        "consultation_kind": "specialist", "place": "akihabara", "booking_slot": "2026-12-10T14:00:00",
        "booking_contact": FILLED, "company": FILLED, "person_name": FILLED, "booking_description": FILLED,
    }  # fmt: skip
    kept = with_retries(lambda s: drafts.answers(s, "web-test", "booking_form"))
    assert kept["company"] == "株式会社ネクストリーフ" and kept["person_name"] == "小川"
    assert kept["booking_description"] == "新サービス名の商標とれるか知りたい"
    assert kept["booking_contact"] == "ogawa@example.jp"


def test_a_time_typed_alone_is_on_the_day_asked_for_earlier_in_the_form(settings_env):
    from bot.booking.dates import Wanted
    from bot.booking.dialogue import wanted_in

    migrate()
    with time_machine.travel("2026-12-01 10:00 +09:00", tick=False):
        first = with_retries(lambda s: wanted_in(s, "web-test", "booking_form", "あした午後 城南で"))
        later = with_retries(lambda s: wanted_in(s, "web-test", "booking_form", "13時"))
        elsewhere = with_retries(lambda s: wanted_in(s, "web-other", "booking_form", "13時"))
    assert first == Wanted(day=date(2026, 12, 2), part="pm")
    assert later == Wanted(day=date(2026, 12, 2), at=time(13, 0))
    assert elsewhere == Wanted(at=time(13, 0))  # another visitor asked for no day


def test_forgetting_what_was_never_kept_makes_no_empty_draft(settings_env):
    from bot.forms.models import FormDraft

    migrate()
    assert with_retries(lambda s: drafts.keep(s, "web-none", "context", {"program": None})) == {
        "program": None
    }
    assert with_retries(lambda s: s.get(FormDraft, ("web-none", "context"))) is None
