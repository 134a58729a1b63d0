"""The one detector of contact details: what it takes for a phone number or an e-mail address,
what it never takes (application and registration numbers, booking numbers, dates), and the
placeholders that stand for them outside the records that need them."""

import pytest

from bot.reading.contact import EMAIL, PHONE, find_contacts, holding, parse_contact, redact


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("電話は03-3832-3656です", "03-3832-3656"),
        ("０９０ー１２３４ー５６７８です", "090-1234-5678"),  # IME: full width, long-vowel mark as dash
        ("03−3832−3656", "03-3832-3656"),  # minus sign
        ("携帯 090 1234 5678 まで", "090-1234-5678"),
        ("電話番号：０９０　１２３４　５６７８", "090-1234-5678"),  # ideographic spaces
        ("09012345678と申します", "090-1234-5678"),
        ("＋８１－９０－１２３４－５６７８", "090-1234-5678"),
        ("TEL 03(3832)3656", "03-3832-3656"),
        ("０１２０－１２３－４５６", "0120-123-456"),
    ],
)
def test_phone_numbers_are_found_as_visitors_type_them(text, value):
    assert [(f.kind, f.value) for f in find_contacts(text)] == [("phone", value)]


@pytest.mark.parametrize(
    "text",
    [
        "特願2023-123456の件です",
        "特願２０２３－０１２３４５について",
        "特許第6123456号を持っています",
        "商願2024-012345",
        "意願2023-001234",
        "登録第1234567号",
        "予約番号 CZ-7K3M9P です",
        "予約番号は CZ-234567",
        "2026-12-01に伺います",
        "12/15 10:00 で",
        "2024年の助成",
        "３０万円まで",
    ],
)
def test_application_and_booking_numbers_and_dates_are_no_contact(text):
    assert find_contacts(text) == []
    assert redact(text).text == redact(text).text.replace(PHONE, "").replace(EMAIL, "")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("taro@example.com へ", "taro@example.com"),
        ("ｙａｍａｄａ．ｔａｒｏ＋ｉｐ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐまで", "yamada.taro+ip@example.co.jp"),
        ("メールはinfo@example.co.jp。", "info@example.co.jp"),
    ],
)
def test_e_mail_addresses_are_found_full_width_included(text, value):
    assert [(f.kind, f.value) for f in find_contacts(text)] == [("email", value)]


def test_redaction_replaces_each_contact_with_its_placeholder_and_keeps_the_rest():
    redacted = redact("特願2023-123456の件で、電話０９０－１２３４－５６７８かa@example.jpへ")
    assert redacted.text == f"特願2023-123456の件で、電話{PHONE}か{EMAIL}へ"
    assert [f.value for f in redacted.found] == ["090-1234-5678", "a@example.jp"]


def test_a_placeholder_reads_as_a_contact_only_while_its_value_is_held():
    text = f"連絡先は{PHONE}と{EMAIL}です"
    assert parse_contact(text) is None
    with holding([("phone", "090-1234-5678"), ("email", "a@example.jp")]):
        contact = parse_contact(text)
    assert contact is not None
    assert (contact.phone, contact.email) == ("090-1234-5678", "a@example.jp")
    assert contact.masked() == "電話 末尾5678 / a***@example.jp"


def test_the_second_placeholder_of_a_kind_is_the_second_value():
    with holding([("phone", "03-3832-3656"), ("phone", "090-1234-5678")]):
        assert parse_contact(f"昼は{PHONE}、夜は{PHONE}").phone == "03-3832-3656"
        assert parse_contact(f"夜は{PHONE}").phone == "03-3832-3656"
