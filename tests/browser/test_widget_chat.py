"""The chat widget in real Chromium: answers, buttons, history, safety and keyboard use."""

import sqlite3

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import Widget

QUESTION = "特許の存続期間は？"


def test_a_question_gets_its_answer_with_times_and_safe_links(widget):
    widget.open()
    expect(widget.input).to_be_focused()
    expect(widget.root.locator(".notice")).to_contain_text("記録されます")

    widget.send(QUESTION)

    expect(widget.visitor).to_have_text([QUESTION])
    expect(widget.input).to_have_value("")
    reply = widget.expect_bot_reply(1, "起算して20年")
    link = reply.locator('a[href^="https://faq.inpit.go.jp/"]').first
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(widget.root.locator(".msg time")).to_have_count(2)
    expect(widget.root.locator(".typing")).to_have_count(0)


def test_a_pressed_button_shows_its_title_and_sends_its_payload(widget, system):
    widget.open()
    widget.send(QUESTION)
    button = widget.root.locator(".msg.bot button.choice", has_text="相談を予約する").first
    widget.expect_bot_reply(1, "起算して20年")
    title = button.inner_text()

    button.click()

    expect(widget.visitor).to_have_text([QUESTION, title])
    widget.expect_bot_reply(2)
    history = httpx.get(f"{system.gateway_url}/api/chat/history", params={"sender_id": widget.sender_id()})
    [first, answer, pressed, *_] = history.json()["messages"]
    assert (first["text"], pressed["direction"]) == (QUESTION, "visitor")
    assert {"title": title, "payload": pressed["text"]} in answer["buttons"]


def test_the_conversation_survives_a_reload_and_a_second_tab(widget):
    widget.open()
    widget.send(QUESTION)
    widget.expect_bot_reply(1, "起算して20年")
    widget.root.get_by_role("button", name="担当者と話す").first.click()
    widget.expect_bot_reply(2, "担当者")
    replies = widget.bot.all_text_contents()

    widget.page.reload()

    expect(widget.panel).to_be_visible()
    expect(widget.visitor).to_have_text([QUESTION, "担当者と話す"])
    expect(widget.bot).to_have_text(replies)
    second = type(widget)(widget.page.context.new_page()).visit(widget.page.url)
    second.open()
    expect(second.visitor).to_have_text([QUESTION, "担当者と話す"])
    second.expect_bot_reply(1, "起算して20年")
    assert second.sender_id() == widget.sender_id()


def test_visitor_markup_is_shown_as_text_and_never_runs(widget):
    markup = "<img src=x onerror=alert(1)>"
    widget.open()
    widget.send(markup)

    expect(widget.visitor).to_have_text([markup])
    widget.expect_bot_reply(1)
    assert widget.shadow_count("img") == 0
    assert widget.page.locator("img").count() == 0
    assert widget.dialogs == []


def test_the_widget_leaves_the_host_page_alone(widget):
    widget.open()
    added = widget.page.evaluate(
        "[...document.body.children].filter(e => e.id === 'chizai-chat-widget').length"
    )
    assert added == 1
    assert widget.page.locator("head style, body > style").count() == 1  # the demo page's own
    assert widget.shadow_count("style") == 1


def test_the_widget_is_usable_with_the_keyboard_alone(widget):
    widget.launcher.focus()
    widget.page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.input).to_be_focused()

    widget.page.keyboard.type(QUESTION)
    widget.page.keyboard.press("Enter")
    widget.expect_bot_reply(1, "起算して20年")
    expect(widget.input).to_be_focused()
    widget.page.keyboard.press("Shift+Tab")  # the reply's choices come right before the input
    expect(widget.root.locator(".msg.bot .choice").last).to_be_focused()
    widget.page.keyboard.press("Enter")
    widget.expect_bot_reply(2, "担当者")

    widget.page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()


def test_the_demo_page_and_a_conversation_leave_no_console_error(browser, system):
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
        widget = Widget(page).visit(system.gateway_url + "/")
        widget.open()
        widget.send(QUESTION)
        widget.expect_bot_reply(1, "起算して20年")
        assert errors == []
    finally:
        context.close()


def test_a_visitor_deletes_their_conversation_and_starts_afresh(widget, system):
    widget.open()
    widget.send(QUESTION)
    widget.expect_bot_reply(1, "起算して20年")
    sender = widget.sender_id()
    notice = widget.root.locator(".notice")
    expect(notice.get_by_role("link", name="詳しくはこちら")).to_have_attribute(
        "href", f"{system.gateway_url}/privacy"
    )
    expect(notice).to_contain_text("個別の案件への法的な助言ではありません")

    notice.get_by_role("button", name="この会話を削除").click()
    notice.get_by_role("button", name="やめる").click()  # a second thought keeps everything
    expect(widget.visitor).to_have_text([QUESTION])
    notice.get_by_role("button", name="この会話を削除").click()
    notice.get_by_role("button", name="削除する").click()

    expect(widget.bot).to_have_text(["この会話の記録を削除しました。ご利用ありがとうございました。"])
    expect(widget.visitor).to_have_count(0)
    assert widget.sender_id() is None
    gone = httpx.get(f"{system.gateway_url}/api/chat/history", params={"sender_id": sender})
    assert gone.json()["messages"] == []
    widget.page.reload()
    widget.open()
    expect(widget.visitor).to_have_count(0)
    widget.send(QUESTION)
    widget.expect_bot_reply(1, "起算して20年")
    assert widget.sender_id() not in (None, sender)
    privacy = httpx.get(f"{system.gateway_url}/privacy")
    assert privacy.status_code == 200 and "保存する期間" in privacy.text and "90日" in privacy.text


def test_a_visitor_says_an_answer_did_not_help_and_why(widget, system):
    widget.open()
    widget.send(QUESTION)
    widget.expect_bot_reply(1, "起算して20年")
    expect(widget.root.get_by_role("button", name="役に立った")).to_be_visible()
    widget.root.get_by_role("button", name="役に立たなかった").click()
    widget.expect_bot_reply(2, "お役に立てず申し訳ありません")
    widget.root.get_by_role("button", name="情報が足りない").click()
    widget.expect_bot_reply(3, "回答の見直しに使わせていただきます")
    expect(widget.visitor).to_have_text([QUESTION, "役に立たなかった", "情報が足りない"])
    with sqlite3.connect(system.database_url.removeprefix("sqlite:///")) as db:
        stored = db.execute(
            "SELECT f.answer_id, f.helpful, f.reason FROM answer_feedback f JOIN conversations c"
            " ON c.id = f.conversation_id WHERE c.sender_id = ?",
            (widget.sender_id(),),
        ).fetchall()
    assert stored == [("faq:patent_term", 0, "not_enough")]
