"""Booking, changing and cancelling a consultation through the real engine and gateway."""

import re
import uuid

import httpx
import pytest

from tests.integration.test_conversation import chat


def texts(messages) -> str:
    return "\n".join(m["text"] for m in messages)


def button(messages, title=None, index=0):
    buttons = [b for m in messages for b in m["buttons"]]
    if title is not None:
        return next(b["payload"] for b in buttons if b["title"] == title)
    return buttons[index]["payload"]


def book(gateway, sender_id: str, contact: str = "yamada@example.com") -> tuple[str, list]:
    """A full booking from a trademark question; returns the booking number and the last reply."""
    chat(gateway, "新しいブランド名の商標登録について知りたいです", sender_id)
    kinds = chat(gateway, "この件で相談を予約したいです", sender_id)
    assert "相談の種類" in texts(kinds)  # the topic (商標) was taken from the earlier question
    places = chat(gateway, button(kinds), sender_id)
    slots = chat(gateway, button(places, "秋葉原本部"), sender_id)
    assert "空いている日時" in texts(slots)
    chat(gateway, button(slots, index=1), sender_id)
    chat(gateway, "株式会社サンプル工業", sender_id)
    chat(gateway, "山田太郎", sender_id)
    chat(gateway, contact, sender_id)
    consent = chat(gateway, "新商品のロゴを商標登録したい", sender_id)
    assert "同意" in texts(consent)
    summary = chat(gateway, "/affirm", sender_id)
    assert "・テーマ: 商標" in texts(summary)
    done = chat(gateway, "/affirm", sender_id)
    number = re.search(r"予約番号は (CZ-[0-9A-Z]{6})", texts(done)).group(1)
    return number, done


def sender() -> str:
    return f"web-{uuid.uuid4().hex}"


def test_book_end_to_end_from_a_topic_question_with_an_ics_file(gateway, system):
    number, done = book(gateway, sender())
    link = re.search(r"(http://\S+\.ics\?key=\S+)", texts(done)).group(1)
    assert link.startswith(system.extra_env["CHIZAI_PUBLIC_URL"] + "/")  # the public address
    ics = httpx.get(link)
    assert ics.status_code == 200
    assert ics.headers["content-type"].startswith("text/calendar")
    assert number in ics.text and "秋葉原本部" in ics.text
    assert httpx.get(link.split("?")[0] + "?key=wrong").status_code == 404


def test_correct_the_date_mid_form_and_a_side_question_then_return(gateway):
    sender_id = sender()
    chat(gateway, "/book_consultation", sender_id)
    chat(gateway, '/inform{"ip_type":"patent"}', sender_id)
    chat(gateway, "アドバイザーに相談したい", sender_id)
    chat(gateway, "多摩で", sender_id)
    offer = chat(gateway, "来週の水曜の午前", sender_id)  # the clock is Tue 12/1 (conftest)
    assert "近い時間で空いている枠" in texts(offer)
    assert all("12/9(水)" in b["title"] for m in offer for b in m["buttons"])
    chat(gateway, button(offer), sender_id)
    side = chat(gateway, "ところで特許の審査請求の期限は？", sender_id)
    assert "3年以内" in side[0]["text"]
    assert "会社名" in side[-1]["text"]  # back to the booking
    for answer in ("サンプル株式会社", "佐藤花子", "03-1234-5678", "新しい機構の特許出願", "/affirm"):
        summary = chat(gateway, answer, sender_id)
    first_date = re.search(r"・日時: (\S+)", texts(summary)).group(1)
    slots = chat(gateway, '/inform{"booking_change":"booking_slot"}', sender_id)
    summary = chat(gateway, button(slots, index=2), sender_id)
    assert re.search(r"・日時: (\S+)", texts(summary)).group(1) != first_date
    assert "予約番号は CZ-" in texts(chat(gateway, "/affirm", sender_id))


def test_cancel_with_number_and_contact(gateway):
    number, _ = book(gateway, sender(), "090-3333-4444")
    sender_id = sender()
    chat(gateway, "予約をキャンセルしたいです", sender_id)
    chat(gateway, number.lower(), sender_id)
    confirm = chat(gateway, "090-3333-4444", sender_id)  # the wish was stated: the booking is shown
    assert f"予約番号 {number}" in texts(confirm) and "キャンセルします。よろしいですか" in texts(confirm)
    assert f"予約番号 {number} のご予約をキャンセルしました" in texts(chat(gateway, "はい", sender_id))


def test_the_booking_made_in_this_conversation_is_cancelled_without_its_number_after_one_yes(gateway):
    sender_id = sender()
    number, _ = book(gateway, sender_id, "090-3333-5555")
    confirm = chat(gateway, "さっきの予約を取り消したいです", sender_id)
    assert f"予約番号 {number}" in texts(confirm) and "よろしいですか" in texts(confirm)
    kept = chat(gateway, "いいえ", sender_id)
    assert "キャンセルしました" not in texts(kept)
    chat(gateway, "さっきの予約を取り消したいです", sender_id)
    assert f"予約番号 {number} のご予約をキャンセルしました" in texts(chat(gateway, "はい", sender_id))


def test_a_number_in_the_request_is_not_asked_again_and_an_email_is_no_number(gateway):
    number, _ = book(gateway, sender(), "090-7777-8888")
    typed = number.replace("CZ-", "ＣＺ－")
    asked = texts(chat(gateway, f"予約番号{typed}をキャンセルしたいです", sender()))
    assert "電話番号またはメールアドレス" in asked and "予約番号(CZ-" not in asked

    sender_id = sender()
    chat(gateway, "予約をキャンセルしたいです", sender_id)
    again = texts(chat(gateway, "yamada@example.com", sender_id))
    assert "予約番号を読み取れませんでした" in again and "予約番号(CZ-" in again
    chat(gateway, number, sender_id)
    confirm = chat(gateway, "090-7777-8888", sender_id)
    assert f"予約番号 {number}" in texts(confirm) and "キャンセルします" in texts(confirm)


def test_change_with_number_and_contact(gateway):
    number, _ = book(gateway, sender(), "090-5555-6666")
    sender_id = sender()
    chat(gateway, "予約の日時を変更したい", sender_id)
    chat(gateway, number, sender_id)
    slots = chat(gateway, "090-5555-6666", sender_id)  # the wish to change was stated
    assert "変更先の日時" in texts(slots)
    confirm = chat(gateway, button(slots, index=3), sender_id)
    assert "に変更します。よろしいですか" in texts(confirm)
    done = chat(gateway, "/affirm", sender_id)
    assert f"予約番号 {number} のご予約を" in texts(done) and "に変更しました" in texts(done)


def test_an_unknown_number_gets_a_polite_answer_without_a_hint(gateway):
    sender_id = sender()
    chat(gateway, "予約をキャンセルしたいです", sender_id)
    chat(gateway, "CZ-ZZZZZZ", sender_id)
    answer = chat(gateway, "090-1111-2222", sender_id)
    assert "一致するご予約が見つかりませんでした" in texts(answer)


def up_to(gateway, sender_id: str, request: str, answers: tuple[str, ...]) -> list:
    """A booking from ``request`` through kind, Akihabara and the first slot, then ``answers``;
    returns the last reply."""
    kinds = chat(gateway, request, sender_id)
    places = chat(gateway, button(kinds), sender_id)
    slots = chat(gateway, button(places, "秋葉原本部"), sender_id)
    asked = chat(gateway, button(slots, index=0), sender_id)
    for answer in answers:
        asked = chat(gateway, answer, sender_id)
    return asked


def test_a_stray_key_is_neither_consent_nor_a_confirmation_but_typed_words_are(gateway):
    sender_id = sender()
    answers = ("株式会社サンプル工業", "山田太郎", "yamada@example.com", "ロゴの商標登録")
    assert "同意" in texts(up_to(gateway, sender_id, "商標について相談を予約したいです", answers))

    hesitant = texts(chat(gateway, "うーん", sender_id))
    assert "・テーマ" not in hesitant and "同意して予約を続けますか" in hesitant
    for stray in ("ｋ", "いいいい"):  # twice in a row: asked again, not handed off
        again = texts(chat(gateway, stray, sender_id))
        assert "読み取れませんでした" in again and "同意して予約を続けますか" in again
        assert "・テーマ" not in again and "引き継" not in again
    summary = chat(gateway, "同意します", sender_id)
    assert "・テーマ: 商標" in texts(summary)
    for vague in ("ｋｋｋ", "うーん", "もういいです"):  # not a yes: the summary again, not booked
        again = texts(chat(gateway, vague, sender_id))
        assert "予約番号" not in again and "・テーマ: 商標" in again
    done = chat(gateway, "はい、お願いします", sender_id)
    assert re.search(r"予約番号は CZ-[0-9A-Z]{6}", texts(done))


@pytest.mark.parametrize("refusal", ["同意しません", "予約をやめる"])
def test_refusing_consent_stops_the_booking(gateway, refusal):
    sender_id = sender()
    answers = ("株式会社サンプル工業", "山田太郎", "03-1234-5678", "新製品の形状")
    assert "同意" in texts(up_to(gateway, sender_id, "意匠の相談を予約したい", answers))
    stopped = texts(chat(gateway, refusal, sender_id))
    assert "中止しました" in stopped and "予約番号" not in stopped


def test_quitting_at_the_name_question_stops_the_booking_instead_of_becoming_the_name(gateway):
    sender_id = sender()
    assert "お名前" in texts(up_to(gateway, sender_id, "特許の相談を予約したい", ("株式会社サンプル工業",)))
    assert "中止しました" in texts(chat(gateway, "予約をやめたい", sender_id))


def test_a_change_request_naming_the_new_day_and_time_goes_straight_to_its_confirmation(gateway):
    sender_id = sender()
    number, done = book(gateway, sender_id, "090-3333-6666")
    booked = re.search(r"・日時: (\d+/\d+)", texts(done)).group(1)
    confirm = texts(chat(gateway, "さっきの予約を再来週の木曜14時に変えたいです", sender_id))
    assert f"予約番号 {number}: {booked}" in confirm and "12/17(木) 14:00 に変更します" in confirm
    changed = texts(chat(gateway, "はい", sender_id))
    assert f"予約番号 {number} のご予約を 12/17(木) 14:00" in changed


def test_a_no_to_the_summary_asks_what_to_change_and_a_typed_correction_changes_that_field(gateway):
    sender_id = sender()
    answers = ("株式会社サンプル工業", "山田太郎", "taro.change@example.com", "ロゴの商標登録", "同意します")
    summary = texts(up_to(gateway, sender_id, "商標について相談を予約したいです", answers))
    assert "・お名前: 山田太郎" in summary and "t***@example.com" in summary and "taro.change@" not in summary
    asked = texts(chat(gateway, "いいえ、一点訂正させてください", sender_id))
    assert "どの項目を変更しますか" in asked and "予約番号" not in asked
    renamed = texts(chat(gateway, "名前は山田花子です", sender_id))
    assert "・お名前: 山田花子" in renamed and "予約番号" not in renamed
    assert re.search(r"予約番号は CZ-[0-9A-Z]{6}", texts(chat(gateway, "はい", sender_id)))
