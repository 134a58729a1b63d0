"""The LINE channel's own rules, without any server: signatures, events, message shapes, sending,
and the records that make each event handled once."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from linebot.v3.messaging import TextMessage
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhooks import FollowEvent, MessageEvent, StickerMessageContent, TextMessageContent

from bot.channels.line import (
    MAX_TEXT_CHARS,
    LineSender,
    claim_event,
    is_following,
    parse_events,
    set_following,
    signature_ok,
    split_text,
    to_line_messages,
    utf16_len,
)
from bot.core.db import migrate

SECRET = "unit-test-secret"


def line_signature(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def button(title: str, payload: str) -> dict[str, str]:
    return {"title": title, "payload": payload}


# --- signatures and events ----------------------------------------------------------------------


def test_a_signature_is_checked_on_the_exact_bytes():
    body = '{"destination":"U1","events":[{"text":"特許"}]}'.encode()
    assert signature_ok(SECRET, body, line_signature(body))
    assert not signature_ok(SECRET, body.replace(b"U1", b"U2"), line_signature(body))
    assert not signature_ok(SECRET, body, line_signature(body, "another"))
    assert not signature_ok(SECRET, body, None)
    assert not signature_ok(SECRET, body, "")
    assert not signature_ok(SECRET, body, "署名")  # never raises on odd header values


def event(kind: str, **fields) -> dict:
    return {
        "type": kind,
        "mode": "active",
        "timestamp": 1764000000000,
        "source": {"type": "user", "userId": "U" + "a" * 32},
        "webhookEventId": "01JDTESTEVENT000000000000" + kind[0],
        "deliveryContext": {"isRedelivery": False},
        **fields,
    }


def test_events_are_read_with_the_sdk_and_unknown_ones_left_out():
    body = json.dumps(
        {
            "destination": "U0",
            "events": [
                event("message", replyToken="r", message={"id": "1", "type": "text", "quoteToken": "q", "text": "特許"}),
                event("message", replyToken="r", message={
                    "id": "2", "type": "sticker", "quoteToken": "q",
                    "packageId": "1", "stickerId": "1", "stickerResourceType": "STATIC",
                }),
                event("follow", replyToken="r", follow={"isUnblocked": False}),
                event("somethingNew"),
                "not an event",
            ],
        }
    ).encode()  # fmt: skip
    text, sticker, follow = parse_events(body)
    assert isinstance(text, MessageEvent) and isinstance(text.message, TextMessageContent)
    assert isinstance(sticker.message, StickerMessageContent)
    assert isinstance(follow, FollowEvent)


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b"[]", b'{"events": 1}'])
def test_a_body_that_is_not_a_webhook_is_refused(body):
    with pytest.raises(ValueError):
        parse_events(body)


# --- LINE messages ------------------------------------------------------------------------------


def test_buttons_become_postback_quick_replies_on_the_last_message():
    messages = [
        {"text": "一つ目です。", "buttons": [button("センターの場所", "/ask_center_info")]},
        {"text": "二つ目です。", "buttons": [button("相談を予約する", "/book_consultation")]},
    ]
    first, last = (m.to_dict() for m in to_line_messages(messages))
    assert "quickReply" not in first
    assert [item["action"] for item in last["quickReply"]["items"]] == [
        {"type": "postback", "label": title, "data": payload, "displayText": title}
        for title, payload in (
            ("センターの場所", "/ask_center_info"),
            ("相談を予約する", "/book_consultation"),
        )
    ]


def test_quick_replies_keep_to_line_limits():
    buttons = [button(f"選択肢{i}", f"/choice_{i}") for i in range(20)]
    buttons += [button("とても長いボタンの名前で二十文字を超えてしまうもの", "/long")]
    buttons += [button("重複", "/choice_0"), button("", "/untitled"), button("大きい", "/x" * 200)]
    [message] = to_line_messages([{"text": "選んでください。", "buttons": buttons}])
    items = message.to_dict()["quickReply"]["items"]
    assert len(items) == 13
    assert [item["action"]["data"] for item in items] == [f"/choice_{i}" for i in range(13)]
    [long] = to_line_messages([{"text": "a", "buttons": buttons[20:21]}])
    action = long.to_dict()["quickReply"]["items"][0]["action"]
    assert action["label"] == "とても長いボタンの名前で二十文字を超え…"
    assert len(action["label"]) == 20
    assert action["displayText"] == buttons[20]["title"]


def test_more_than_five_messages_are_joined_into_the_fifth():
    messages = [{"text": f"ご案内{i}", "buttons": []} for i in range(1, 8)]
    texts = [m.text for m in to_line_messages(messages)]
    assert texts == ["ご案内1", "ご案内2", "ご案内3", "ご案内4", "ご案内5\n\nご案内6\n\nご案内7"]


def test_long_texts_are_split_at_line_breaks_within_the_limit():
    paragraph = "知的財産のご案内です。" * 30 + "\n"
    text = paragraph * 40
    pieces = split_text(text)
    assert all(len(piece) <= MAX_TEXT_CHARS for piece in pieces)
    assert "\n".join(pieces) == text  # cut only at line breaks, nothing lost
    assert split_text("あ" * 12000) == ["あ" * 5000, "あ" * 5000, "あ" * 2000]


def test_an_oversized_answer_still_fits_in_five_messages():
    messages = [{"text": "長" * 9000, "buttons": []} for _ in range(4)]
    texts = [m.text for m in to_line_messages(messages)]
    assert len(texts) == 5
    assert all(0 < len(text) <= MAX_TEXT_CHARS for text in texts)
    assert texts[-1].endswith("…")


def test_lengths_are_counted_in_utf16_units_as_line_counts_them():
    text = "特許😀" * 2000  # 4,000 characters, 6,000 UTF-16 units
    pieces = split_text(text)
    assert len(pieces) == 2 and "".join(pieces) == text
    assert all(utf16_len(piece) <= MAX_TEXT_CHARS for piece in pieces)
    assert utf16_len("😀") == 2 and utf16_len("あa") == 2
    messages = [{"text": "😀" * 4000, "buttons": []} for _ in range(6)]
    texts = [m.text for m in to_line_messages(messages)]
    assert len(texts) == 5 and all(utf16_len(t) <= MAX_TEXT_CHARS for t in texts)
    assert texts[-1].endswith("…")


def test_empty_texts_are_not_sent():
    assert to_line_messages([{"text": " \n", "buttons": [button("a", "/a")]}]) == []


# --- sending ------------------------------------------------------------------------------------


def api_error(status: int, message: str) -> ApiException:
    error = ApiException(status=status, reason="error")
    error.body = json.dumps({"message": message}).encode()
    return error


INVALID_TOKEN = api_error(400, "Invalid reply token")


class FakeApi:
    """Plays the Messaging API: each call takes the next planned outcome (None means success)."""

    def __init__(self, reply=(), push=()) -> None:
        self.plans = {"reply": list(reply), "push": list(push)}
        self.calls: list[tuple[str, object, str | None]] = []

    async def reply_message(self, request, **_options):
        return self._call("reply", request, None)

    async def push_message(self, request, x_line_retry_key=None, **_options):
        return self._call("push", request, x_line_retry_key)

    def _call(self, kind, request, retry_key):
        self.calls.append((kind, request, retry_key))
        outcome = self.plans[kind].pop(0) if self.plans[kind] else None
        if outcome is not None:
            raise outcome

    def kinds(self) -> list[str]:
        return [kind for kind, _, _ in self.calls]


def send(api: FakeApi, reply_token: str | None = "token") -> str:
    sender = LineSender(api, attempts=3, backoff_seconds=0)
    return asyncio.run(sender.send("U1", reply_token, [TextMessage(text="こんにちは")]))


def test_a_reply_is_sent_with_the_reply_token():
    api = FakeApi()
    assert send(api) == "reply"
    assert api.kinds() == ["reply"]
    assert api.calls[0][1].reply_token == "token"


def test_a_refused_reply_token_falls_back_to_a_push():
    api = FakeApi(reply=[INVALID_TOKEN])
    assert send(api) == "push"
    assert api.kinds() == ["reply", "push"]
    assert api.calls[1][1].to == "U1"


def test_rate_limits_and_server_errors_are_retried():
    api = FakeApi(reply=[api_error(429, "Too Many Requests"), aiohttp.ClientConnectionError()])
    assert send(api) == "reply"
    assert api.kinds() == ["reply", "reply", "reply"]


def test_a_token_refused_after_a_server_error_is_not_pushed_again():
    # The first attempt may have used the token: a push would repeat the answer.
    api = FakeApi(reply=[api_error(500, "Internal Server Error"), INVALID_TOKEN])
    assert send(api) == "reply"
    assert api.kinds() == ["reply", "reply"]


def test_other_refusals_are_given_up_without_a_push():
    api = FakeApi(reply=[api_error(400, "The request body has 1 error(s)")])
    assert send(api) == "failed"
    assert api.kinds() == ["reply"]


def test_retries_are_bounded():
    api = FakeApi(reply=[api_error(429, "Too Many Requests")] * 5, push=[api_error(503, "Unavailable")] * 5)
    assert send(api) == "failed"
    assert api.kinds() == ["reply"] * 3 + ["push"] * 3


def test_a_reply_refused_on_every_retry_goes_out_as_a_push():
    api = FakeApi(
        reply=[api_error(429, "Too Many Requests"), api_error(500, "Error"), api_error(429, "Too Many")]
    )
    assert send(api) == "push"
    assert api.kinds() == ["reply"] * 3 + ["push"]


def test_a_reply_lost_in_the_network_is_not_pushed():
    # The request may have reached LINE: a push could repeat the answer.
    api = FakeApi(reply=[aiohttp.ClientConnectionError()] * 3)
    assert send(api) == "failed"
    assert api.kinds() == ["reply"] * 3


def test_push_retries_keep_one_retry_key_and_a_conflict_means_delivered():
    api = FakeApi(push=[api_error(503, "Service Unavailable"), api_error(409, "already accepted")])
    assert send(api, reply_token=None) == "push"
    keys = {key for _, _, key in api.calls}
    assert api.kinds() == ["push", "push"] and len(keys) == 1 and None not in keys


# --- each event once, who follows ---------------------------------------------------------------


@pytest.fixture
def database(settings_env):
    migrate()


def test_an_event_is_claimed_only_once(database):
    assert claim_event("01JDEVENT")
    assert not claim_event("01JDEVENT")
    assert claim_event("01JDOTHER")


def test_following_follows_the_latest_event_even_when_events_come_late(database):
    now = datetime.now(UTC)
    assert is_following("U1")  # nobody has unfollowed
    set_following("U1", False, now)
    assert not is_following("U1")
    set_following("U1", True, now - timedelta(minutes=5))  # a late follow from before the unfollow
    assert not is_following("U1")
    set_following("U1", True, now + timedelta(minutes=5))
    assert is_following("U1")
