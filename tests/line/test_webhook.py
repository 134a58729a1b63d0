"""The LINE channel over the real protocol: signed webhooks into the running system, answers out to
a stand-in Messaging API on loopback."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3

import httpx
import pytest

from bot.channels.line import FOLLOW_GREETING
from tests.line.conftest import CHANNEL_SECRET, event, new_user, sign, text_event, webhook_body
from tests.line.stand_in import MONTHLY_LIMIT, RATE_LIMITED


def postback(title: str, payload: str) -> dict[str, str]:
    """A quick-reply action as the gateway should send it (a web page opens as a link)."""
    if payload.startswith(("https://", "http://")):
        return {"type": "uri", "label": title, "uri": payload}
    return {"type": "postback", "label": title, "data": payload, "displayText": title}


NEXT_STEPS = [
    postback("相談を予約する", "/book_consultation"),
    postback("支援制度を見る", "/ask_program"),
    postback("担当者と話す", "/request_human"),
]
POLITE_REFUSAL = "申し訳ありません。{kind}にはお答えできません。お手数ですが、ご質問を文字で送ってください。"


def ask(webhook, line_api, user, text):
    """Send a text message and return the reply it got."""
    message = text_event(user, text)
    webhook.send(message)
    return line_api.wait_for(reply_token=message["replyToken"])


# --- signatures ---------------------------------------------------------------------------------


FORGERIES = {
    "missing": lambda body: None,
    "empty": lambda body: "",
    "signed with another secret": lambda body: sign(body, "not-our-channel-secret"),
    "not a signature": lambda body: "bm90IGEgc2lnbmF0dXJl",
    "hex instead of Base64": lambda body: hmac.new(CHANNEL_SECRET.encode(), body, hashlib.sha256).hexdigest(),
}


@pytest.mark.parametrize("forge", FORGERIES.values(), ids=FORGERIES.keys())
def test_a_missing_or_forged_signature_is_refused_and_nothing_is_sent(webhook, line_api, forge):
    user = new_user()
    message = text_event(user, "特許について教えてください")
    body = webhook_body(message)
    response = webhook.post(body, forge(body))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_signature"
    assert response.json()["error"]["message"]
    ask(webhook, line_api, user, "こんにちは")  # a correctly signed message is answered
    assert line_api.calls(reply_token=message["replyToken"]) == []
    assert line_api.calls("push", to=user) == []


def test_a_stale_signature_replayed_on_a_new_body_is_refused(webhook, line_api):
    user = new_user()
    first = text_event(user, "こんにちは")
    first_body = webhook_body(first)
    assert webhook.post(first_body, sign(first_body)).status_code == 200
    line_api.wait_for(reply_token=first["replyToken"])

    forged = text_event(user, "商標について教えてください")
    tampered = first_body.replace("こんにちは".encode(), "さようなら".encode())
    for body in (webhook_body(forged), tampered):
        response = webhook.post(body, sign(first_body))
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "invalid_signature"
    ask(webhook, line_api, user, "ありがとうございました")
    assert line_api.calls(reply_token=forged["replyToken"]) == []
    assert len(line_api.calls(reply_token=first["replyToken"])) == 1
    assert line_api.calls("push", to=user) == []


def test_the_console_verification_call_and_bad_json_are_told_apart(webhook):
    empty = webhook_body()
    assert webhook.post(empty, sign(empty)).status_code == 200
    not_json = b"{not json"
    response = webhook.post(not_json, sign(not_json))
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_request"


# --- each event once ----------------------------------------------------------------------------


def test_a_redelivered_or_replayed_event_gets_no_second_answer(webhook, line_api, system):
    user = new_user()
    message = text_event(user, "特許の出願について教えてください")
    body = webhook_body(message)
    assert webhook.post(body, sign(body)).status_code == 200
    line_api.wait_for(reply_token=message["replyToken"])

    assert webhook.post(body, sign(body)).status_code == 200  # the same request again, word for word
    redelivered = {**message, "deliveryContext": {"isRedelivery": True}}
    marker = text_event(user, "ありがとうございました")
    webhook.send(redelivered, marker)  # one user's events are handled in order
    line_api.wait_for(reply_token=marker["replyToken"])
    skipped = f"LINE event {message['webhookEventId']} was handled before; skipped"
    system.wait_for_log("gateway", skipped, count=2)  # the replay came in its own webhook call
    assert len(line_api.calls(reply_token=message["replyToken"])) == 1
    assert line_api.calls("push", to=user) == []


def test_a_redelivery_of_an_event_never_seen_is_answered(webhook, line_api):
    user = new_user()
    message = text_event(user, "こんにちは", deliveryContext={"isRedelivery": True})
    webhook.send(message)
    assert "東京都知的財産総合センター" in line_api.wait_for(reply_token=message["replyToken"]).texts[0]


# --- answers ------------------------------------------------------------------------------------


def test_a_text_message_gets_the_assistants_answer_with_quick_replies(system, webhook, line_api):
    question = "特許の権利は何年続きますか"
    web = httpx.post(f"{system.gateway_url}/api/chat", json={"sender_id": "web-line-test", "text": question})
    [web_answer] = web.json()["messages"]
    user = new_user()
    reply = ask(webhook, line_api, user, question)
    assert reply.texts == [web_answer["text"]]
    assert "起算して20年" in reply.texts[0]
    assert reply.quick_replies == [postback(b["title"], b["payload"]) for b in web_answer["buttons"]]
    assert postback("相談を予約する", "/book_consultation") in reply.quick_replies
    with sqlite3.connect(system.database_url.removeprefix("sqlite:///")) as db:
        rows = db.execute(
            "SELECT c.channel, m.direction, m.status FROM messages m"
            " JOIN conversations c ON c.id = m.conversation_id WHERE c.sender_id = ? ORDER BY m.id",
            (user,),
        ).fetchall()
    assert rows[0] == ("line", "visitor", "answered")
    assert ("line", "bot", "sent") in rows


def test_a_quick_reply_press_sends_its_payload_to_the_assistant(webhook, line_api):
    user = new_user()
    press = event("postback", user, postback={"data": "/ask_center_info"})
    webhook.send(press)
    reply = line_api.wait_for(reply_token=press["replyToken"])
    assert "台東区台東1-3-5" in reply.texts[0]


def test_the_feedback_quick_replies_under_an_answer_are_stored_and_answered(system, webhook, line_api):
    user = new_user()
    answer = ask(webhook, line_api, user, "特許の権利は何年続きますか")
    by_label = {item["label"]: item for item in answer.quick_replies}
    press = event("postback", user, postback={"data": by_label["役に立たなかった"]["data"]})
    webhook.send(press)
    sorry = line_api.wait_for(reply_token=press["replyToken"])
    assert sorry.texts[0].startswith("お役に立てず申し訳ありません")
    reason = next(item for item in sorry.quick_replies if item["label"] == "わかりにくい")
    webhook.send(press := event("postback", user, postback={"data": reason["data"]}))
    line_api.wait_for(reply_token=press["replyToken"])
    with sqlite3.connect(system.database_url.removeprefix("sqlite:///")) as db:
        stored = db.execute(
            "SELECT f.answer_id, f.helpful, f.reason FROM answer_feedback f JOIN conversations c"
            " ON c.id = f.conversation_id WHERE c.sender_id = ?",
            (user,),
        ).fetchall()
    assert stored == [("faq:patent_term", 0, "unclear")]


def test_line_gets_its_200_before_the_answer_is_sent(webhook, line_api):
    user = new_user()
    message = text_event(user, "こんにちは")
    line_api.fail_next(message["replyToken"], 429, 429)  # the answer takes 0.5 s + 1 s of backoff
    webhook.send(message)  # a route that waited for the answer would answer after it
    assert not [c for c in line_api.calls(reply_token=message["replyToken"]) if c.status == 200]
    line_api.wait_for(reply_token=message["replyToken"])


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        (
            {"type": "sticker", "packageId": "446", "stickerId": "1", "stickerResourceType": "STATIC"},
            "スタンプ",
        ),
        ({"type": "image", "contentProvider": {"type": "line"}}, "画像"),
        ({"type": "video", "duration": 4000, "contentProvider": {"type": "line"}}, "動画"),
        ({"type": "audio", "duration": 3000, "contentProvider": {"type": "line"}}, "音声メッセージ"),
        ({"type": "file", "fileName": "契約書.pdf", "fileSize": 2048}, "ファイル"),
        ({"type": "location", "address": "東京都台東区", "latitude": 35.7, "longitude": 139.78}, "位置情報"),
    ],
    ids=["sticker", "image", "video", "audio", "file", "location"],
)
def test_non_text_messages_get_a_polite_request_to_type(webhook, line_api, message, kind):
    user = new_user()
    content = {"id": "325708", "quoteToken": "q-" + user, **message}
    incoming = event("message", user, message=content)
    webhook.send(incoming)
    reply = line_api.wait_for(reply_token=incoming["replyToken"])
    assert reply.texts == [POLITE_REFUSAL.format(kind=kind)]
    assert reply.quick_replies == NEXT_STEPS


def test_a_new_friend_is_greeted_with_what_the_assistant_can_do(webhook, line_api):
    follow = event("follow", new_user(), follow={"isUnblocked": False})
    webhook.send(follow)
    reply = line_api.wait_for(reply_token=follow["replyToken"])
    assert reply.texts == [FOLLOW_GREETING]
    assert reply.quick_replies == NEXT_STEPS


def test_after_an_unfollow_nothing_is_answered_until_a_new_follow(webhook, line_api):
    user = new_user()
    ask(webhook, line_api, user, "こんにちは")
    # Made in the order LINE sends them: a follow stamped before the unfollow would rightly be stale.
    unfollow = event("unfollow", user)
    ignored = [
        text_event(user, "特許について教えてください"),
        event("postback", user, postback={"data": "/ask_program"}),
    ]
    follow = event("follow", user, follow={"isUnblocked": True})
    webhook.send(unfollow, *ignored, follow)
    line_api.wait_for(reply_token=follow["replyToken"])
    for message in ignored:
        assert line_api.calls(reply_token=message["replyToken"]) == []
    assert line_api.calls("push", to=user) == []
    assert "起算して20年" in ask(webhook, line_api, user, "特許の権利は何年続きますか").texts[0]


# --- sending ------------------------------------------------------------------------------------


def test_an_expired_reply_token_falls_back_to_a_push_message(webhook, line_api):
    user = new_user()
    message = text_event(user, "商標権は何年有効ですか")
    line_api.expire(message["replyToken"])
    webhook.send(message)
    push = line_api.wait_for(to=user)
    assert "登録から10年" in push.texts[0]
    assert push.quick_replies
    assert [call.status for call in line_api.calls(reply_token=message["replyToken"])] == [400]


def test_a_failing_push_is_retried_with_the_same_retry_key_and_delivered_once(webhook, line_api):
    user = new_user()
    message = text_event(user, "こんにちは")
    line_api.expire(message["replyToken"])
    line_api.fail_next(user, 500)
    webhook.send(message)
    line_api.wait_for(to=user)
    pushes = line_api.calls("push", to=user)
    assert [call.status for call in pushes] == [500, 200]
    assert pushes[0].headers["x-line-retry-key"] == pushes[1].headers["x-line-retry-key"]


def test_a_rate_limited_push_is_retried_and_delivered_once(webhook, line_api):
    user = new_user()
    message = text_event(user, "こんにちは")
    line_api.expire(message["replyToken"])
    line_api.fail_next(user, RATE_LIMITED)
    webhook.send(message)
    line_api.wait_for(to=user)
    assert [call.status for call in line_api.calls("push", to=user)] == [429, 200]


def test_a_push_past_the_monthly_quota_is_not_retried_and_is_logged(webhook, line_api, system):
    user = new_user()
    message = text_event(user, "こんにちは")
    line_api.expire(message["replyToken"])
    line_api.fail_next(user, MONTHLY_LIMIT, MONTHLY_LIMIT)
    webhook.send(message)
    system.wait_for_log("gateway", "monthly message limit is reached")
    assert [call.status for call in line_api.calls("push", to=user)] == [429]


def test_a_rate_limited_reply_is_retried_and_sent_once(webhook, line_api):
    user = new_user()
    message = text_event(user, "センターの住所を教えてください")
    line_api.fail_next(message["replyToken"], 429)
    webhook.send(message)
    reply = line_api.wait_for(reply_token=message["replyToken"])
    assert "台東区台東1-3-5" in reply.texts[0]
    assert [call.status for call in line_api.calls(reply_token=message["replyToken"])] == [429, 200]
    assert line_api.calls("push", to=user) == []


def test_a_server_error_on_reply_is_retried(webhook, line_api):
    user = new_user()
    message = text_event(user, "こんにちは")
    line_api.fail_next(message["replyToken"], 500, 503)
    webhook.send(message)
    line_api.wait_for(reply_token=message["replyToken"])
    assert [call.status for call in line_api.calls(reply_token=message["replyToken"])] == [500, 503, 200]


# --- a conversation -----------------------------------------------------------------------------


def test_a_five_turn_conversation_gets_five_answers(webhook, line_api):
    user = new_user()
    turns = [
        ("こんにちは", "東京都知的財産総合センター"),
        ("特許の権利は何年続きますか", "起算して20年"),
        ("担当の方と直接話せますか", "担当者"),
        ("ありがとうございました", "どういたしまして"),
        ("さようなら", "ご利用ありがとうございました"),
    ]
    answered = []
    for text, expected in turns:
        reply = ask(webhook, line_api, user, text)
        assert expected in "".join(reply.texts), (text, reply.texts)
        answered.append(reply.body["replyToken"])
    assert len(set(answered)) == 5
    assert line_api.calls("push", to=user) == []


def test_the_keyword_deletes_the_users_conversation(system, webhook, line_api):
    user = new_user()
    ask(webhook, line_api, user, "商標の登録にかかる期間は？")
    reply = ask(webhook, line_api, user, "会話を削除")
    assert reply.texts == ["この会話の記録を削除しました。ご利用ありがとうございました。"]
    with sqlite3.connect(system.database_url.removeprefix("sqlite:///")) as db:
        kept = db.execute(
            "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.sender_id = ?",
            (user,),
        ).fetchone()
    assert kept == (0,)
    with sqlite3.connect(system.tracker_path) as tracker:
        assert tracker.execute("SELECT count(*) FROM events WHERE sender_id = ?", (user,)).fetchone() == (0,)
