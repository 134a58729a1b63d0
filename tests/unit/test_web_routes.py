"""The website channel's routes: history of a conversation, the widget script and the demo page."""

import re
from datetime import datetime
from pathlib import Path

import pytest

from bot.conversation import replies

SOURCES = Path(__file__).resolve().parents[3] / "shared" / "content" / "sources.md"


def test_history_of_an_unknown_visitor_is_empty(client):
    response = client.get("/api/chat/history", params={"sender_id": "web-" + "0" * 32})
    assert response.status_code == 200
    assert response.json() == {"sender_id": "web-" + "0" * 32, "messages": [], "staff_answering": False}
    assert response.headers["cache-control"] == "no-store"


def test_history_returns_both_sides_of_the_conversation_in_order(client):
    sender = "web-3f2a9c"
    client.post("/api/chat", json={"sender_id": sender, "text": "商標の更新について"})
    client.post("/api/chat", json={"sender_id": sender, "text": "/request_human"})

    body = client.get("/api/chat/history", params={"sender_id": sender}).json()

    assert body["sender_id"] == sender
    turns = [(m["direction"], m["text"]) for m in body["messages"]]
    assert turns == [
        ("visitor", "商標の更新について"),
        ("bot", replies.ENGINE_UNAVAILABLE),
        ("visitor", "/request_human"),
        ("bot", replies.ENGINE_UNAVAILABLE),
    ]
    assert all(m["buttons"] == [] for m in body["messages"])


def test_history_timestamps_carry_their_utc_offset(client):
    client.post("/api/chat", json={"sender_id": "web-tz", "text": "こんにちは"})
    [visitor, bot] = client.get("/api/chat/history", params={"sender_id": "web-tz"}).json()["messages"]
    for turn in (visitor, bot):
        assert datetime.fromisoformat(turn["created_at"]).utcoffset().total_seconds() == 0
    assert visitor["created_at"] <= bot["created_at"]


def test_history_of_another_channel_is_not_readable_from_the_web(client):
    chat = client.post("/api/chat", json={"sender_id": "Uline0123", "text": "こんにちは"}).json()
    assert chat["sender_id"].startswith("web-")  # the web cannot write into a LINE conversation
    response = client.get("/api/chat/history", params={"sender_id": "Uline0123"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "sender_id", ["", "web id", "web-<script>", "x" * 129], ids=["empty", "space", "markup", "too long"]
)
def test_history_refuses_a_malformed_sender_id_with_the_error_shape(client, sender_id):
    response = client.get("/api/chat/history", params={"sender_id": sender_id})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_sender_id"
    assert error["message"].endswith("。")


def test_history_without_a_sender_id_is_refused(client):
    assert client.get("/api/chat/history").status_code == 400


def test_widget_script_is_javascript_with_a_short_cache(client):
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=300"
    assert "attachShadow" in response.text
    assert "innerHTML" not in response.text


def test_demo_page_embeds_the_widget_with_one_script_tag(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert '<script src="/widget.js" defer></script>' in response.text
    assert "東京都知的財産総合センター" in response.text


@pytest.mark.skipif(not SOURCES.exists(), reason="../shared/content is not beside the repository")
def test_demo_page_states_only_sourced_addresses_and_numbers(client):
    page = client.get("/").text
    sources = SOURCES.read_text("utf-8")
    figures = re.findall(r"〒\d{3}-\d{4}|\d{2,4}-\d{3,4}-\d{4}|\d-\d+-\d+", page)
    assert figures
    assert [figure for figure in figures if figure not in sources] == []
