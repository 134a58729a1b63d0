"""Booking rules on a real database: the calendar, no double booking under concurrency,
closed days, limits per contact, cancel and change by number + contact, retention."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime

import pytest
import time_machine

from bot.booking import messages
from bot.booking.calendar import closure_reason, free_slots
from bot.booking.dates import Wanted, parse_wanted
from bot.booking.dialogue import ask, check
from bot.booking.form import read_contact
from bot.booking.models import Booking, ClosedDay, OpeningRule
from bot.booking.service import (
    BookingError,
    BookingRequest,
    cancel_booking,
    change_booking,
    create_booking,
    find_booking,
    purge_personal_data,
)
from bot.core.db import session_factory, with_retries
from bot.reading.booking_number import read_booking_number
from bot.reading.contact import Contact

NOW = datetime(2026, 11, 25, 9, 0)  # a Wednesday, Tokyo time


def request(start: datetime, phone: str = "090-1234-5678", **kw) -> BookingRequest:
    return BookingRequest(
        kind_id="general", place_id="akihabara", slot_start=start, contact=Contact(phone=phone), **kw
    )


def book(start: datetime, phone: str = "090-1234-5678") -> Booking:
    return with_retries(lambda session: create_booking(session, request(start, phone)))


def test_public_holidays_substitute_holidays_and_staff_closures_are_closed(calendar):
    with session_factory()() as session:
        assert closure_reason(session, date(2027, 1, 1)) == "祝日(元日)"
        assert "振替休日" in closure_reason(session, date(2026, 5, 6))
        assert closure_reason(session, date(2026, 12, 29)) == "年末年始(サンプル)"
        assert closure_reason(session, date(2027, 1, 3)) == "年末年始(サンプル)"  # a Sunday, said as 年末年始
        assert closure_reason(session, date(2026, 11, 28)) == "土日"
        assert closure_reason(session, date(2026, 11, 26)) is None
        session.add(ClosedDay(day=date(2026, 11, 26), reason="臨時休業"))
        session.flush()
        assert closure_reason(session, date(2026, 11, 26)) == "臨時休業"


def test_free_slots_skip_closed_days_and_the_past(calendar):
    with session_factory()() as session:
        slots = free_slots(session, "akihabara", "general", datetime(2026, 12, 28, 12, 0), limit=3)
    assert [s.start for s in slots] == [
        datetime(2026, 12, 28, 13),
        datetime(2026, 12, 28, 14),
        datetime(2026, 12, 28, 15),
    ]
    with session_factory()() as session:
        after_closure = free_slots(session, "akihabara", "general", datetime(2026, 12, 28, 17, 0), limit=1)
    assert after_closure[0].start == datetime(2027, 1, 4, 10)  # 12/29–1/3 closed, 1/4 is a Monday


@pytest.mark.parametrize(
    ("start", "code"),
    [
        (datetime(2026, 11, 24, 10), "past"),
        (datetime(2027, 1, 1, 10), "closed_day"),
        (datetime(2026, 11, 28, 10), "closed_day"),
        (datetime(2026, 11, 26, 9, 30), "no_such_slot"),
    ],
)
def test_bookings_in_the_past_on_closed_days_or_off_pattern_are_refused(calendar, start, code):
    with pytest.raises(BookingError) as error:
        book(start)
    assert error.value.code == code


def test_fifty_parallel_bookings_for_the_last_place_yield_exactly_one(calendar):
    start = datetime(2026, 12, 2, 14)
    book(start, "03-1111-0000")  # capacity 2: one place left

    def attempt(i: int) -> str:
        try:
            book(start, f"090-2000-{i:04d}")
            return "booked"
        except BookingError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = list(pool.map(attempt, range(50)))
    assert outcomes.count("booked") == 1
    assert set(outcomes) == {"booked", "slot_full"}
    with session_factory()() as session:
        nxt = free_slots(session, "akihabara", "general", start, limit=1)[0]
    assert nxt.start == datetime(2026, 12, 2, 15)  # what the others are offered next


def test_open_bookings_per_contact_are_limited(calendar):
    book(datetime(2026, 12, 1, 10))
    book(datetime(2026, 12, 1, 11))
    with pytest.raises(BookingError) as error:
        book(datetime(2026, 12, 1, 13))
    assert error.value.code == "too_many_open_bookings"


def test_cancel_and_change_need_number_and_contact_and_give_no_hint(calendar):
    booking = book(datetime(2026, 12, 3, 10))
    number = booking.number.lower().replace("-", " ")
    with session_factory().begin() as session:
        assert find_booking(session, "CZ-XXXXXX", "090-1234-5678") is None
        assert find_booking(session, booking.number, "090-9999-9999") is None
        found = find_booking(session, number, "０９０－１２３４－５６７８")
        assert found is not None
        change_booking(session, found, datetime(2026, 12, 4, 15))
    with session_factory().begin() as session:
        moved = find_booking(session, booking.number, "090-1234-5678")
        assert moved.slot_start == datetime(2026, 12, 4, 15)
        cancel_booking(session, moved)
    with session_factory()() as session:
        assert find_booking(session, booking.number, "090-1234-5678") is None
        assert free_slots(session, "akihabara", "general", datetime(2026, 12, 4, 15), 1)[0].taken == 0


def test_a_move_onto_a_full_slot_is_refused_and_the_booking_keeps_its_seat(calendar):
    here, full = datetime(2026, 12, 3, 10), datetime(2026, 12, 4, 15)
    booking = book(here)
    book(full, "090-0000-0001"), book(full, "090-0000-0002")  # the slot's two seats
    with session_factory().begin() as session:  # the transaction goes on and is committed
        found = find_booking(session, booking.number, "090-1234-5678")
        with pytest.raises(BookingError, match="slot_full"):
            change_booking(session, found, full)
    with session_factory()() as session:
        assert session.get(Booking, booking.id).slot_start == here
        assert free_slots(session, "akihabara", "general", here, 1)[0].taken == 1
        assert free_slots(session, "akihabara", "general", full, 1)[0].start != full  # still full


def test_personal_data_is_purged_after_the_retention_period_field_by_field(calendar):
    def make(session, start: datetime, email: str) -> Booking:
        wanted = BookingRequest(
            kind_id="general", place_id="akihabara", slot_start=start,
            contact=Contact(phone="090-1234-5678", email=email), company="ミドリ電機", person_name="鈴木",
            description="新製品の商標", sender_id=f"web-{email}",
        )  # fmt: skip
        return create_booking(session, wanted)

    old = with_retries(lambda session: make(session, datetime(2026, 11, 26, 10), "old@example.jp"))
    recent = with_retries(lambda session: make(session, datetime(2026, 12, 21, 10), "new@example.jp"))
    with time_machine.travel("2027-01-10 09:00 +09:00", tick=False):
        assert with_retries(lambda session: purge_personal_data(session, 30)) == 1
        assert with_retries(lambda session: purge_personal_data(session, 30)) == 0
    with session_factory()() as session:
        purged, kept = session.get(Booking, old.id), session.get(Booking, recent.id)
        personal = ("phone", "email", "company", "person_name", "description", "sender_id")
        assert {field: getattr(purged, field) for field in personal} == dict.fromkeys(personal)
        assert (purged.number, purged.slot_start, purged.status) == (old.number, old.slot_start, "booked")
        assert purged.purged_at is not None
        assert (kept.phone, kept.email, kept.company, kept.person_name, kept.description, kept.sender_id) == (
            "090-1234-5678", "new@example.jp", "ミドリ電機", "鈴木", "新製品の商標", "web-new@example.jp"
        )  # fmt: skip
        assert kept.purged_at is None


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("ｃｚ－７ｋ３ｍ９ｐ", "CZ-7K3M9P"),
        ("7k3m9p", "CZ-7K3M9P"),
        ("cz 7k3m9p", "CZ-7K3M9P"),
        ("予約番号ＣＺ－Ｄ６ＫＹ７７をキャンセルしたい", "CZ-D6KY77"),
        ("yamada@example.com", None),
        ("予約をキャンセルしたい", None),
        ("DESIGN の相談", None),
    ],
)
def test_booking_numbers_are_read_from_what_visitors_type(text, number):
    assert read_booking_number(text) == number


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("来週の火曜の午後", Wanted(day=date(2026, 12, 1), part="pm")),
        ("12/3 14時", Wanted(day=date(2026, 12, 3), at=datetime(2026, 1, 1, 14).time())),
        ("あさって", Wanted(day=date(2026, 11, 27))),
        ("１２／３　１０時半", Wanted(day=date(2026, 12, 3), at=datetime(2026, 1, 1, 10, 30).time())),
        ("1/8の午前", Wanted(day=date(2027, 1, 8), part="am")),
        ("3日後", Wanted(day=date(2026, 11, 28))),
        ("よろしく", Wanted()),
        ("昨日の10時", Wanted(past=True)),
        ("先週の火曜", Wanted(past=True)),
        ("２日前の午後", Wanted(past=True)),
    ],
)
def test_typed_dates_are_understood(text, wanted):
    assert parse_wanted(text, NOW.date()) == wanted


def test_opening_pattern_comes_from_the_sample_settings(calendar):
    with session_factory()() as session:
        assert session.query(OpeningRule).count() == 5 * 6


@pytest.mark.parametrize("text", ["昨日の10時", "先週の金曜の午後"])
def test_a_day_gone_by_is_refused_with_future_slots_not_replaced_silently(calendar, text):
    slots = {"place": "akihabara", "consultation_kind": "general"}
    with session_factory()() as session:
        assert check(session, "web-t", "booking_slot", text, None, slots).value is None
        [asked] = ask(session, "web-t", "booking_slot", slots, text)  # the form's question after it
    assert asked["text"] == messages.PAST_DAY
    assert asked["buttons"] and all(b["payload"].startswith("/inform") for b in asked["buttons"])


def test_a_contact_with_enough_bookings_is_refused_when_given_not_after_the_whole_form(calendar):
    book(datetime(2026, 11, 26, 10, 0), phone="03-1111-2222")
    book(datetime(2026, 11, 27, 10, 0), phone="03-1111-2222")
    with session_factory()() as session:
        refused = read_contact(session, "０３－１１１１－２２２２", {})
        accepted = read_contact(session, "03-3333-4444", {})
    assert refused.values == {"booking_contact": None}
    assert refused.messages[0]["text"] == messages.refusal("too_many_open_bookings")
    assert {"title": "予約をやめる", "payload": "/deny"} in refused.messages[0]["buttons"]
    assert accepted.values == {"booking_contact": "03-3333-4444"} and accepted.messages == []


def test_an_exact_time_that_is_not_free_is_said_so_before_the_nearby_offer(calendar):
    slots = {"place": "akihabara", "consultation_kind": "general"}
    with session_factory()() as session:
        [offer] = ask(session, "web-t", "booking_slot", slots, "11/26の10時15分")
    assert offer["text"].startswith("11/26(木) 10:15には、空いている枠がありません。")
    assert offer["buttons"]


TUESDAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("再来週の火曜", Wanted(day=date(2026, 12, 15))),  # not next week's: 再来週 contains 来週
        ("来週の水曜の午前", Wanted(day=date(2026, 12, 9), part="am")),
        ("今週金曜", Wanted(day=date(2026, 12, 4))),
        ("金曜", Wanted(day=date(2026, 12, 4))),  # a weekday alone is the next such day
        ("今週の月曜", Wanted(past=True)),
        ("10日", Wanted(day=date(2026, 12, 10))),
        ("1日の午後", Wanted(day=date(2026, 12, 1), part="pm")),
        ("来月3日", Wanted(day=date(2027, 1, 3))),
        ("今月10日の10時", Wanted(day=date(2026, 12, 10), at=datetime(2026, 1, 1, 10).time())),
        ("夕方4時", Wanted(at=datetime(2026, 1, 1, 16).time())),
        ("午後3時", Wanted(at=datetime(2026, 1, 1, 15).time())),
        ("3日後", Wanted(day=date(2026, 12, 4))),
        ("らいしゅうの かようびの ごぜんちゅう", Wanted(day=date(2026, 12, 8), part="am")),
        ("11じで", Wanted(at=datetime(2026, 1, 1, 11).time())),
        ("2時半", Wanted(at=datetime(2026, 1, 1, 14, 30).time())),  # the center works by day
        ("午前9時", Wanted(at=datetime(2026, 1, 1, 9).time())),
        ("あさっての あさいちに", Wanted(day=date(2026, 12, 3), part="first")),
        ("月末", Wanted(day=date(2026, 12, 31))),
        ("12/10の14時、だめなら11日", Wanted(day=date(2026, 12, 10), at=datetime(2026, 1, 1, 14).time())),
        ("sasaki.d1-16@example.jp", Wanted()),  # an e-mail address is no 16 January
        ("０３ー４１０１ー０００２", Wanted()),
        ("予約番号 CZ-AB12CD", Wanted()),
    ],
)
def test_days_and_times_the_japanese_way_from_a_tuesday(text, wanted):
    assert parse_wanted(text, TUESDAY) == wanted


def test_a_day_of_the_month_gone_by_is_next_months_and_month_ends_roll_over():
    assert parse_wanted("5日", date(2026, 12, 20)) == Wanted(day=date(2027, 1, 5))
    assert parse_wanted("来月3日", date(2026, 1, 31)) == Wanted(day=date(2026, 2, 3))
    assert parse_wanted("31日", date(2027, 2, 10)) == Wanted()  # no 31 February: not a day
    assert parse_wanted("再来週の月曜", date(2026, 12, 27)) == Wanted(day=date(2027, 1, 4))


@pytest.mark.parametrize("text", ["Zoomでできますか", "オンラインで相談したい", "電話で相談できますか"])
def test_a_wish_for_a_remote_consultation_is_answered_in_one_sentence_and_the_place_asked(calendar, text):
    with session_factory()() as session:
        [asked] = ask(session, "web-t", "place", {}, text)
    assert asked["text"].startswith(messages.REMOTE_NOT_OFFERED) and asked["text"].endswith(
        messages.ASK_PLACE
    )
    assert [b["title"] for b in asked["buttons"]] == ["秋葉原本部", "城東支援室", "城南支援室", "多摩支援室"]


def test_the_place_question_alone_says_nothing_of_remote_consultations(calendar):
    with session_factory()() as session:
        [asked] = ask(session, "web-t", "place", {}, "専門家相談")
    assert asked["text"] == messages.ASK_PLACE


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "10日の午前中に相談したいです、場所は秋葉原、弁理士さんにお願いしたい",
            {"consultation_kind": "specialist", "place": "akihabara"},
        ),
        ("城南でアドバイザーに相談", {"consultation_kind": "general", "place": "jonan"}),
        ("弁理士か弁護士の先生に", {"consultation_kind": "specialist"}),
        ("商標の相談をしたい", {}),
        ("城東か多摩で", {}),  # two places: asked, not guessed
    ],
)
def test_a_kind_and_a_place_named_in_passing_are_found(calendar, text, found):
    from bot.booking.dialogue import mentions

    with session_factory()() as session:
        assert mentions(session, text) == found


@pytest.mark.parametrize(
    "payload", ["2026-11-26T10:00:00", "2026-11-26T10:00:00+09:00", "2026-11-26T01:00:00Z"]
)
def test_a_slot_button_is_read_as_tokyo_wall_clock_time_with_or_without_an_offset(calendar, payload):
    slots = {"place": "akihabara", "consultation_kind": "general"}
    with session_factory()() as session:
        assert check(session, "web-t", "booking_slot", "", payload, slots).value == "2026-11-26T10:00:00"
