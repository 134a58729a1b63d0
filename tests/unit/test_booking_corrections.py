"""Corrections, yeses and noes typed inside the booking form: a field changed, never the booking lost."""

import pytest
import time_machine

from bot.booking import form
from bot.booking.calendar import seed_calendar
from bot.booking.corrections import Correction, correction_in
from bot.booking.dialogue import correct, correction_for, unanswered, what_to_change
from bot.core.config import get_settings
from bot.core.db import migrate, with_retries


@pytest.mark.parametrize(
    ("text", "asked", "correction"),
    [
        ("火曜じゃなくて金曜で", "booking_confirmed", Correction("booking_slot", "金曜")),
        ("名前は山田花子です", "booking_confirmed", Correction("person_name", "山田花子")),
        ("やっぱり城南で", "booking_contact", Correction("place", "城南")),
        ("連絡先を変えたい", "booking_confirmed", Correction("booking_contact", None)),
        ("いいえ、日付を変えてください", "booking_confirmed", Correction("booking_slot", None)),
        ("時間を16時にして", "booking_confirmed", Correction("booking_slot", "16時")),
        ("あ、会社名まちごうてたわ。正しくはミドリ電機や、機械の機のほう", "booking_contact",
         Correction("company", "ミドリ電機")),
        ("会社名はネクストリーフです", "company", None),  # the answer to the question asked
        ("新サービスの名前を変えたい", "booking_description", None),  # words about the matter
        ("鈴木です", "person_name", None),
    ],
)  # fmt: skip
def test_a_correction_names_its_field_and_its_new_value(text, asked, correction):
    assert correction_in(text, asked) == correction


SLOTS = {
    "booking_topic": "trademark", "consultation_kind": "general", "place": "akihabara",
    "booking_slot": "2026-12-08T10:00:00", "company": "入力済み", "person_name": "入力済み",
    "booking_contact": "入力済み", "booking_description": "入力済み", "booking_consent": True,
    "booking_confirmed": None,
}  # fmt: skip


@pytest.fixture
def calendar(settings_env):
    migrate()
    with_retries(lambda s: seed_calendar(s, get_settings().calendar_file))


def test_a_new_time_at_the_summary_changes_the_slot_on_the_booked_day_and_shows_the_summary_again(calendar):
    with time_machine.travel("2026-12-01 10:00 +09:00", tick=False):
        values, messages = with_retries(
            lambda s: correct(
                s, "web-c", correction_for("時間を14時にして", SLOTS, "booking_confirmed"), SLOTS
            )
        )
    assert values == {"booking_slot": "2026-12-08T14:00:00", "booking_confirmed": None}
    assert [m["text"] for m in messages] == ["日時を「12/8(火) 14:00」に変更しました。"]


def test_a_no_to_the_summary_asks_what_to_change_and_never_stops_the_booking(calendar):
    values, messages = with_retries(
        lambda s: unanswered(s, "web-c", "booking_confirmed", "いいえ", "deny", SLOTS)
    )
    assert values == {"booking_confirmed": form.REFUSED} and messages == []
    assert form.required(form.REFUSED)[-2:] == [form.CHANGE, "booking_confirmed"]
    chosen = with_retries(lambda s: what_to_change(s, "web-c", "連絡先", None, SLOTS))
    assert chosen == ({"booking_contact": None, "booking_confirmed": None, form.CHANGE: None}, [])


def test_only_words_that_stop_stop_and_a_yes_in_dialect_is_a_yes(calendar):
    assert with_retries(lambda s: unanswered(s, "web-c", "company", "予約をやめます", "deny", SLOTS)) is None
    consent = with_retries(lambda s: unanswered(s, "web-c", "booking_consent", "同意や", "deny", SLOTS))
    assert consent == ({"booking_consent": True}, [])
    refused = with_retries(lambda s: unanswered(s, "web-c", "booking_consent", "同意しません", "deny", SLOTS))
    assert refused is None  # no consent, no booking: the form's rule stops it


def test_an_answer_not_read_gets_what_is_expected_then_a_person_and_a_way_out(calendar):
    first = with_retries(lambda s: unanswered(s, "web-c", "place", "🙂", "affirm", SLOTS))
    second = with_retries(lambda s: unanswered(s, "web-c", "place", "🙂", "affirm", SLOTS))
    assert first[0] == {"place": None} and "秋葉原" in first[1][0]["text"] and not first[1][0]["buttons"]
    assert [b["title"] for b in second[1][0]["buttons"]] == ["担当者と話す", "予約をやめる"]


def test_a_weekday_typed_as_a_correction_is_that_day_of_the_chosen_week_at_the_chosen_time(calendar):
    with time_machine.travel("2026-12-01 10:00 +09:00", tick=False):
        values, _ = with_retries(
            lambda s: correct(
                s, "web-w", correction_for("火曜じゃなくて水曜で", SLOTS, "booking_confirmed"), SLOTS
            )
        )
    assert values == {"booking_slot": "2026-12-09T10:00:00", "booking_confirmed": None}  # Tue 12/8 → Wed 12/9
