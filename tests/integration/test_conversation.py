"""Visitor conversations through the gateway and the real, trained Rasa engine."""

import sqlite3
import uuid

import pytest

from bot.conversation import replies


def chat(gateway, text, sender_id=None):
    sender_id = sender_id or f"web-{uuid.uuid4().hex}"
    response = gateway.post("/api/chat", json={"sender_id": sender_id, "text": text})
    assert response.status_code == 200
    body = response.json()
    assert body["sender_id"] == sender_id
    assert body["messages"]
    return body["messages"]


def test_health_is_ok_when_everything_runs(gateway):
    assert gateway.get("/healthz").json() == {
        "status": "ok",
        "components": {"rasa": "ok", "actions": "ok", "database": "ok"},
    }


def test_a_japanese_question_gets_a_right_polite_answer(gateway):
    [message] = chat(gateway, "特許の権利は何年続きますか")
    assert "起算して20年" in message["text"]
    assert message["text"].count("です") + message["text"].count("ます") >= 2
    assert {"title": "相談を予約する", "payload": "/book_consultation"} in message["buttons"]


def test_parse_returns_the_contract_shape_with_entities(gateway):
    response = gateway.post("/api/nlu/parse", json={"text": "ｼｮｳﾋｮｳ登録の費用を知りたい"})
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "ｼｮｳﾋｮｳ登録の費用を知りたい"
    assert body["normalized_text"] == "ショウヒョウ登録の費用を知りたい"
    assert body["intent"]["name"] == "ask_trademark"
    assert 0 < body["intent"]["confidence"] <= 1
    assert body["intent_ranking"][0]["name"] == "ask_trademark"
    assert {"entity": "ip_type", "value": "trademark"} in [
        {"entity": e["entity"], "value": e["value"]} for e in body["entities"]
    ]


def test_a_button_payload_is_understood(gateway):
    [message] = chat(gateway, "/ask_center_info")
    assert "台東区台東1-3-5" in message["text"]
    assert "03-3832-3656" in message["text"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [("城南支援室の電話番号は？", "03-3737-1435"), ("相談は無料ですか", "ごく一部を除き無料")],
)
def test_center_questions_get_the_branch_or_the_fee_they_ask_about(gateway, question, expected):
    [message] = chat(gateway, question)
    assert expected in message["text"]
    assert "ご自身の案件" not in message["text"]
    assert {"title": "相談を予約する", "payload": "/book_consultation"} in message["buttons"]


def test_business_questions_outside_ip_are_declined_with_what_the_bot_can_do(gateway):
    [message] = chat(gateway, "従業員の残業代の計算方法を教えてください")
    assert "お答えできません" in message["text"]
    assert message["buttons"]


@pytest.mark.parametrize(
    "text",
    [
        "🙏🙏🙏",
        "👨\u200d👩\u200d👧",
        "あ" * 1999 + "？",
        "<img src=x onerror=alert(1)>",
        "'; DROP TABLE messages; --",
    ],
    ids=["emoji", "zwj emoji", "1999 chars", "html", "sql"],
)
def test_odd_but_valid_input_gets_a_polite_answer(gateway, text):
    messages = chat(gateway, text)
    assert all(m["text"] for m in messages)
    assert gateway.post("/api/nlu/parse", json={"text": text}).status_code == 200


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"text": ""}, replies.EMPTY_INPUT),
        ({"text": "\u3000 \n"}, replies.EMPTY_INPUT),
        ({"text": "特" * 3000}, replies.TOO_LONG.format(limit=2000)),
    ],
    ids=["empty", "whitespace", "3000 chars"],
)
def test_unusable_input_gets_a_polite_request(gateway, body, expected):
    sender_id = f"web-odd-{uuid.uuid4().hex}"
    response = gateway.post("/api/chat", json={"sender_id": sender_id, **body})
    assert response.status_code == 200
    assert response.json()["messages"][0]["text"] == expected


@pytest.mark.parametrize("body", [b"\xff\xfe\xfa", b"\x80abc"], ids=["binary", "invalid utf-8"])
def test_undecodable_bytes_are_refused_politely_on_both_routes(gateway, body):
    chat_response = gateway.post("/api/chat", content=body)
    assert chat_response.status_code == 200
    assert chat_response.json()["messages"][0]["text"] == replies.INVALID_REQUEST
    parse_response = gateway.post("/api/nlu/parse", content=body)
    assert parse_response.status_code == 400


def test_engine_down_mid_conversation_is_polite_and_recorded_then_recovers(system, gateway):
    sender = f"web-{uuid.uuid4().hex}"
    chat(gateway, "こんにちは", sender)
    system.stop("rasa")
    try:
        [message] = chat(gateway, "商標の更新について教えてください", sender)
        assert message["text"] == replies.ENGINE_UNAVAILABLE
        with sqlite3.connect(system.database_url.removeprefix("sqlite:///")) as db:
            rows = db.execute(
                "SELECT m.text, m.status FROM messages m JOIN conversations c ON c.id = m.conversation_id"
                " WHERE c.sender_id = ? AND m.direction = 'visitor' ORDER BY m.id",
                (sender,),
            ).fetchall()
        assert rows == [
            ("こんにちは", "answered"),
            ("商標の更新について教えてください", "engine_unavailable"),
        ]
    finally:
        system.start_rasa()
        system.wait_until_healthy()
    [message] = chat(gateway, "商標の更新について教えてください", sender)
    assert "更新" in message["text"]
