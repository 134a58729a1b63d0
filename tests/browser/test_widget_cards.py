"""Cards in the widget on a phone (390×844): a program's facts and a booking's confirmation as
labelled rows, the booking number on one line, kept across a reload."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import Widget

PHONE = {"width": 390, "height": 844}


def phone_widget(browser, system):
    context = browser.new_context(viewport=PHONE, locale="ja-JP", is_mobile=True, has_touch=True)
    return context, Widget(context.new_page()).visit(system.gateway_url + "/")


def test_a_program_answer_is_a_card_of_labelled_rows_that_survives_a_reload(browser, system, artifacts):
    context, widget = phone_widget(browser, system)
    try:
        widget.open()
        widget.send("外国特許出願費用助成について教えてください")
        card = widget.expect_bot_reply(1, "外国特許出願費用助成").locator(".card-title")
        expect(card).to_have_text("外国特許出願費用助成事業")
        rows = widget.root.locator(".msg.bot .card dt")
        expect(rows.first).to_have_text("支援内容")
        expect(widget.root.locator(".msg.bot .card dd").first).not_to_be_empty()
        widget.page.screenshot(path=artifacts / "widget-phone-program-card.png")
        widget.page.reload()
        widget.open()
        expect(widget.root.locator(".msg.bot .card-title")).to_have_text(["外国特許出願費用助成事業"])
    finally:
        context.close()


def test_the_booking_confirmation_is_a_compact_card_with_its_number_unbroken(browser, system, artifacts):
    context, widget = phone_widget(browser, system)
    try:
        widget.open()
        steps = [
            ("/book_consultation", "テーマ"),
            (None, "相談の種類"),
            (None, "場所"),
            (None, "空いている日時"),
        ]
        widget.send(steps[0][0])
        for count, (_, expected) in enumerate(steps, start=1):
            widget.expect_bot_reply(count, expected)
            if count < len(steps):
                widget.root.locator(".msg.bot").nth(count - 1).locator("button.choice").first.click()
        slots = widget.root.locator(".msg.bot").nth(3)
        expect(slots.locator(".card-title")).to_have_text("空いている日時")
        widget.page.screenshot(path=artifacts / "widget-phone-slot-offers.png")
        slots.locator("button.choice").first.click()
        for count, answer in (
            (5, "株式会社サンプル"),
            (6, "山田花子"),
            (7, "hanako@example.jp"),
            (8, "商品名の商標登録"),
        ):
            widget.expect_bot_reply(count)
            widget.send(answer)
        widget.expect_bot_reply(9, "同意")
        widget.send("はい")
        widget.expect_bot_reply(10, "ご予約の内容")
        widget.send("はい")
        done = widget.expect_bot_reply(11, "ご予約を承りました")
        number = done.locator("dd.keep")
        expect(number).to_have_text(re.compile(r"^CZ-[0-9A-Z]{6}$"))
        assert number.evaluate("n => n.getClientRects().length") == 1  # on one line
        expect(
            widget.root.locator(".msg.bot").nth(10).locator("button.choice", has_text="カレンダーに登録")
        ).to_be_visible()
        widget.page.screenshot(path=artifacts / "widget-phone-confirmation.png")
    finally:
        context.close()
