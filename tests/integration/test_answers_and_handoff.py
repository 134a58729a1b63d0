"""Grounded answers and hand-offs through the real engine, action server and gateway."""

import re
import sqlite3
import uuid

import pytest

from tests.integration.test_conversation import chat


def sender() -> str:
    return f"web-{uuid.uuid4().hex}"


def escalations(system, sender_id):
    with sqlite3.connect(system.database_url.removeprefix("sqlite:///")) as db:
        return db.execute(
            "SELECT reason, priority, status, bot_paused, contact_consent, contact_phone, contact_email"
            " FROM escalations WHERE sender_id = ?",
            (sender_id,),
        ).fetchall()


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("特許の審査請求っていつまでにすればいい？", "出願日から3年以内"),
        ("意匠権って何年守られますか", "出願日から最長25年"),
        ("商標の更新手続きはいつからできますか", "満了前6月から"),
        ("著作権は登録しないと守られないの？", "登録などの手続は必要ありません"),
        ("営業秘密として守られる条件を教えて", "秘密管理性"),
        ("共同研究の契約で気をつけることは？", "契約で決めておきます"),
        ("中国の模倣品への対策を考えています", "ジェトロ"),
    ],
)
def test_each_topic_gets_a_sourced_answer_with_next_steps(gateway, question, expected):
    [message] = chat(gateway, question)
    assert expected in message["text"]
    assert "出典:" in message["text"]
    titles = [b["title"] for b in message["buttons"]]
    assert "相談を予約する" in titles


def test_subsidy_question_shows_the_program_card_then_booking(gateway):
    sender_id = sender()
    [card] = chat(gateway, "海外で特許出したい 補助あります？", sender_id)
    assert card["text"].startswith("【外国特許出願費用助成事業】")
    assert "2022年度(第1回)の情報です" in card["text"]
    assert "第三者のサイト" in card["text"]
    assert "募集期間は、このチャットでは確認できていません" in card["text"]
    assert [b["title"] for b in card["buttons"]] == [
        "相談を予約する",
        "公式ページ",
        "他の制度",
        "役に立った",
        "役に立たなかった",
    ]
    [booking] = chat(gateway, card["buttons"][0]["payload"], sender_id)
    assert booking["text"] == "ご希望の相談の種類をお選びください。"  # topic 特許 already known


def test_a_vague_program_question_lists_programs_as_buttons(gateway):
    [message] = chat(gateway, "使える補助金ってありますか")
    assert len(message["buttons"]) >= 3
    chosen = message["buttons"][0]
    [card] = chat(gateway, chosen["payload"])
    assert card["text"].startswith("【")


def test_a_warning_letter_escalates_with_priority_and_asks_for_contact(system, gateway):
    sender_id = sender()
    messages = chat(gateway, "競合から警告状が届きました。回答期限は来週です", sender_id)
    texts = "\n".join(m["text"] for m in messages)
    assert "優先して引き継ぎました" in texts and "03-3832-3656" in texts
    assert messages[-1]["buttons"][0] == {"title": "連絡先を入力する", "payload": "/affirm"}
    assert escalations(system, sender_id) == [("urgent", "high", "open", 0, None, None, None)]

    chat(gateway, "/affirm", sender_id)
    chat(gateway, "株式会社サンプル 佐藤花子", sender_id)
    [done] = chat(gateway, "０３－１２３４－５６７８", sender_id)
    assert "連絡先を承りました" in done["text"]
    assert escalations(system, sender_id) == [("urgent", "high", "open", 0, 1, "03-1234-5678", None)]

    [answer] = chat(gateway, "特許の期間は？", sender_id)  # the bot goes on answering meanwhile
    assert "20年" in answer["text"]
    assert escalations(system, sender_id)[0][2] == "open"


@pytest.mark.parametrize(
    "turns",
    [
        ["担当者と話したい。訴状が届いて困っています"],  # asking for a person
        ["けいこくしょが　きました。どうしたら　いいですか"],  # in kana, asked as a question
        ["Amazonで出品止められた。respond within 3 daysって書いてある"],  # English mixed in
    ],
    ids=["hand-off request", "kana question", "code-switching"],
)
def test_an_urgent_matter_files_as_urgent_on_every_path_with_the_phone_number(system, gateway, turns):
    sender_id = sender()
    for text in turns:
        messages = chat(gateway, text, sender_id)
    said = "\n".join(m["text"] for m in messages)
    assert "優先して引き継ぎました" in said and "03-3832-3656" in said
    assert escalations(system, sender_id)[0][:2] == ("urgent", "high")


def test_an_urgent_answer_inside_the_booking_form_files_as_urgent_and_the_booking_goes_on(system, gateway):
    sender_id = sender()
    chat(gateway, "相談を予約したい", sender_id)
    messages = chat(
        gateway, "特許のことです。競合から警告状が届いていて、来週までに回答しろと言われています", sender_id
    )
    said = [m["text"] for m in messages]
    assert "優先してお伝えしました" in said[0] and "03-3832-3656" in said[0]
    assert len(said) > 1 and "優先して" not in said[-1]  # the form asks its next question
    assert escalations(system, sender_id)[0][:2] == ("urgent", "high")
    again = chat(gateway, "訴状も届くかもしれません", sender_id)
    assert not any("優先してお伝えしました" in m["text"] for m in again)  # told once
    assert len(escalations(system, sender_id)) == 1


def test_a_name_typed_with_its_phone_number_is_not_asked_for_again(system, gateway):
    sender_id = sender()
    chat(gateway, "担当者と話したい", sender_id)
    chat(gateway, "はい", sender_id)
    [done] = chat(gateway, "山田です。090-1234-5678", sender_id)
    assert "連絡先を承りました" in done["text"]
    assert escalations(system, sender_id)[0][4:6] == (1, "090-1234-5678")


def test_an_invalid_contact_is_asked_again(gateway):
    sender_id = sender()
    chat(gateway, "担当者と話したいです", sender_id)
    chat(gateway, "/affirm", sender_id)
    chat(gateway, "山田", sender_id)
    [retry, *_] = chat(gateway, "12345", sender_id)
    assert "確認できませんでした" in retry["text"]
    [done] = chat(gateway, "yamada@example.com", sender_id)
    assert "連絡先を承りました" in done["text"]


@pytest.mark.parametrize("stop", ["やめます", "入力しない", "/deny"])
def test_the_contact_form_can_be_left_at_the_contact_question(system, gateway, stop):
    sender_id = sender()
    chat(gateway, "担当者と話したいです", sender_id)
    chat(gateway, "/affirm", sender_id)
    asked = chat(gateway, "山田", sender_id)
    assert {"title": "連絡先の入力をやめる", "payload": "/deny"} in asked[-1]["buttons"]
    left = "\n".join(m["text"] for m in chat(gateway, stop, sender_id))
    assert "確認できませんでした" not in left
    reason, _, status, _, consent, phone, email = escalations(system, sender_id)[0]
    assert (reason, status, consent, phone, email) == ("requested_human", "open", 0, None, None)


def test_a_question_instead_of_the_contact_offer_is_answered_and_the_offer_not_repeated(system, gateway):
    sender_id = sender()
    offer = "\n".join(m["text"] for m in chat(gateway, "担当者と話したいです", sender_id))
    assert "入力しますか" in offer
    for question, answer in (("特許の存続期間は？", "20年"), ("商標権は何年有効ですか", "10年")):
        texts = "\n".join(m["text"] for m in chat(gateway, question, sender_id))
        assert answer in texts and "入力しますか" not in texts
    assert escalations(system, sender_id)[0][:3] == ("requested_human", "normal", "open")


def test_two_failed_understandings_in_a_row_hand_off(system, gateway):
    sender_id = sender()
    [first] = chat(gateway, "asdfgh", sender_id)
    assert "読み取れませんでした" in first["text"]
    assert escalations(system, sender_id) == []
    messages = chat(gateway, "ふがふが", sender_id)
    assert "担当者に引き継ぎ" in messages[0]["text"]
    assert escalations(system, sender_id)[0][:2] == ("repeated_fallback", "normal")


def test_request_human_is_honest_that_nobody_answers_here_and_the_bot_goes_on(system, gateway):
    sender_id = sender()
    messages = chat(gateway, "人と話したい", sender_id)
    reference = re.search(r"受付番号 (R-[0-9A-Z]{6})", messages[0]["text"]).group(1)
    assert "直接やり取りすることはできません" in messages[0]["text"]
    [declined] = chat(gateway, "/deny", sender_id)
    assert "連絡先はお預かりしません" in declined["text"] and reference in declined["text"]
    assert "03-3832-3656" in declined["text"]
    assert escalations(system, sender_id) == [("requested_human", "normal", "open", 0, 0, None, None)]
    [status] = chat(gateway, "まだですか", sender_id)
    assert reference in status["text"] and "お待ちいただいています" in status["text"]
    [answer] = chat(gateway, "特許の期間は？", sender_id)
    assert "20年" in answer["text"]
