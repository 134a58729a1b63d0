"""The open widget on a phone and on a desktop: it fits, and screenshots are kept for review."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Widget

SCREENS = {
    "phone": {"width": 360, "height": 740},
    "desktop": {"width": 1280, "height": 800},
}


@pytest.mark.parametrize("screen", SCREENS)
def test_the_open_widget_fits_the_screen(browser, system, artifacts, screen):
    viewport = SCREENS[screen]
    context = browser.new_context(viewport=viewport, locale="ja-JP", is_mobile=screen == "phone")
    try:
        widget = Widget(context.new_page()).visit(system.gateway_url + "/")
        widget.open()
        widget.send("特許の存続期間は？")
        widget.expect_bot_reply(1, "起算して20年")
        expect(widget.root.locator(".typing")).to_have_count(0)

        box = widget.panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]
        overflow = widget.panel.evaluate("p => p.querySelector('.scroll').scrollWidth - p.clientWidth")
        assert overflow <= 0
        widget.page.screenshot(path=artifacts / f"widget-{screen}.png")
    finally:
        context.close()
