"""The gateway goes away mid-conversation: a polite notice, nothing typed is lost, then it recovers."""

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import ANSWER_TIMEOUT_MS

FIRST = "特許の存続期間は？"
WHILE_DOWN = "商標の更新について教えてください"
DRAFT = "意匠についても知りたいです"
RECOVERY_TIMEOUT_MS = 90_000


def test_gateway_down_is_polite_keeps_what_was_typed_and_recovers(widget, system):
    widget.open()
    widget.send(FIRST)
    widget.expect_bot_reply(1, "起算して20年")

    system.stop("gateway")
    try:
        widget.send(WHILE_DOWN)
        expect(widget.offline).to_contain_text("接続できません", timeout=ANSWER_TIMEOUT_MS)
        expect(widget.offline).to_contain_text("入力された内容は消えません")
        unsent = widget.root.locator(".msg.visitor.unsent")
        expect(unsent).to_have_count(1)
        expect(unsent).to_contain_text("未送信")
        widget.input.fill(DRAFT)
    finally:
        system.start_gateway()
        system.wait_until_healthy()

    widget.expect_bot_reply(2, "更新", timeout=RECOVERY_TIMEOUT_MS)
    expect(widget.offline).to_have_count(0)
    expect(widget.root.locator(".msg.visitor.unsent")).to_have_count(0)
    expect(widget.visitor).to_have_text([FIRST, WHILE_DOWN])
    expect(widget.input).to_have_value(DRAFT)
    history = httpx.get(f"{system.gateway_url}/api/chat/history", params={"sender_id": widget.sender_id()})
    visitor_turns = [m["text"] for m in history.json()["messages"] if m["direction"] == "visitor"]
    assert visitor_turns == [FIRST, WHILE_DOWN]
