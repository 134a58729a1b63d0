"""Gateway input handling with the engine really down: polite answers, nothing lost, no 5xx."""

import pytest
from sqlalchemy import select

from bot.conversation import replies
from bot.core.config import get_settings
from bot.core.db import session_factory
from bot.models import Message

BAD_TEXTS = {
    "empty": "",
    "whitespace": " \u3000\t\n ",
    "control characters": "\x00\x01\x1f",
    "zero-width only": "\u200b\u200d\ufeff",
}


@pytest.mark.parametrize("text", BAD_TEXTS.values(), ids=BAD_TEXTS.keys())
def test_chat_asks_politely_for_a_question(client, text):
    response = client.post("/api/chat", json={"sender_id": "web-1", "text": text})
    assert response.status_code == 200
    assert response.json()["messages"][0]["text"] == replies.EMPTY_INPUT


def test_empty_messages_in_a_row_get_a_short_nudge_without_the_menu(client):
    def send(text):
        return client.post("/api/chat", json={"sender_id": "web-1", "text": text}).json()["messages"]

    first, second, third = send(""), send(" "), send("\u3000")
    assert first[0]["text"] == replies.EMPTY_INPUT and first[0]["buttons"]
    assert second == third == [{"text": replies.EMPTY_AGAIN, "buttons": []}]
    send("特許について")  # a real message (the engine is down here) ends the run of empty ones
    assert send("")[0]["text"] == replies.EMPTY_INPUT
    with session_factory()() as session:
        statuses = session.scalars(select(Message.status).where(Message.direction == "visitor")).all()
    assert statuses.count("empty") == 4


@pytest.mark.parametrize("text", BAD_TEXTS.values(), ids=BAD_TEXTS.keys())
def test_parse_refuses_empty_text_with_the_error_shape(client, text):
    response = client.post("/api/nlu/parse", json={"text": text})
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "empty_text", "message": replies.EMPTY_INPUT}


def test_too_long_messages_are_refused_politely(client):
    text = "特" * 3000
    chat = client.post("/api/chat", json={"sender_id": "web-1", "text": text})
    assert chat.status_code == 200
    assert "2000文字まで" in chat.json()["messages"][0]["text"]
    parse = client.post("/api/nlu/parse", json={"text": text})
    assert parse.status_code == 413
    assert parse.json()["error"]["code"] == "text_too_long"


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe\x00binary", '{"text": "特許"}'.encode("shift_jis"), b"not json", b"[1, 2]", b""],
    ids=["binary", "shift-jis", "not json", "array", "no body"],
)
def test_unreadable_bodies_get_a_polite_answer(client, body):
    chat = client.post("/api/chat", content=body, headers={"content-type": "application/json"})
    assert chat.status_code == 200
    assert chat.json()["messages"][0]["text"] in (replies.INVALID_REQUEST, replies.EMPTY_INPUT)
    parse = client.post("/api/nlu/parse", content=body)
    assert parse.status_code == 400
    assert parse.json()["error"]["message"]


def test_a_megabyte_body_is_refused_without_being_read_whole(client):
    response = client.post("/api/chat", content=b"x" * 1_000_000)
    assert response.status_code == 200
    assert "文字まで" in response.json()["messages"][0]["text"]


def test_engine_down_answers_politely_and_records_the_message(client):
    response = client.post("/api/chat", json={"sender_id": "web-down", "text": "特許の期間は？"})
    assert response.status_code == 200
    assert response.json() == {
        "sender_id": "web-down",
        "messages": [{"text": replies.ENGINE_UNAVAILABLE, "buttons": []}],
    }
    with session_factory()() as session:
        rows = session.scalars(select(Message).order_by(Message.id)).all()
    assert [(m.direction, m.text, m.status) for m in rows] == [
        ("visitor", "特許の期間は？", "engine_unavailable"),
        ("bot", replies.ENGINE_UNAVAILABLE, "sent"),
    ]


def test_parse_with_engine_down_is_a_polite_503(client):
    response = client.post("/api/nlu/parse", json={"text": "商標の更新"})
    assert response.status_code == 503
    assert response.json()["error"]["message"] == replies.ENGINE_UNAVAILABLE


def test_missing_or_malformed_sender_ids_get_a_fresh_one(client):
    for sender in (None, "", "<script>", "x" * 300):
        response = client.post("/api/chat", json={"sender_id": sender, "text": "こんにちは"})
        assert response.status_code == 200
        assert response.json()["sender_id"].startswith("web-")


def test_health_names_what_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "components": {"rasa": "down", "actions": "down", "database": "ok"},
    }


def test_unknown_routes_use_the_error_shape(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "http_404"


def test_metrics_count_requests(client, monkeypatch):
    monkeypatch.setenv("CHIZAI_METRICS_TOKEN", "scraper-secret")
    get_settings.cache_clear()
    client.get("/healthz")
    metrics = client.get("/metrics", headers={"Authorization": "Bearer scraper-secret"}).text
    assert 'chizai_requests_total{method="GET",route="/healthz",status="503"}' in metrics
