"""Browser fixtures: the whole system once per session, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Dialog, Locator, Page, expect

from scripts.system import ROOT, System
from tests.chromium import chromium

ARTIFACTS = ROOT / "test-artifacts"
ANSWER_TIMEOUT_MS = 30_000


# Package scope, not session: the services stop, and Playwright's event loop (which makes any later
# asyncio.run() fail) closes, before tests outside this folder run.
@pytest.fixture(scope="package")
def system(tmp_path_factory) -> Iterator[System]:
    with System(tmp_path_factory.mktemp("system")) as running:
        yield running


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


class Widget:
    """The chat widget on a page, seen and used the way a visitor does."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[Dialog] = []
        page.on("dialog", self._dialog)
        self.root = page.locator("#chizai-chat-widget")
        self.launcher = self.root.get_by_role("button", name="チャットで質問する")
        self.panel = self.root.get_by_role("dialog", name="チャットでのご案内")
        self.input = self.root.get_by_role("textbox", name="ご質問")
        self.bot = self.root.locator(".msg.bot:not(.typing) .bubble")
        self.visitor = self.root.locator(".msg.visitor .bubble")
        self.offline = self.root.locator(".offline")

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog)
        dialog.dismiss()

    def visit(self, url: str) -> Widget:
        self.page.goto(url)
        expect(self.launcher.or_(self.panel)).to_be_visible()
        return self

    def open(self) -> None:
        if not self.panel.is_visible():
            self.launcher.click()
        expect(self.panel).to_be_visible()

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def expect_bot_reply(
        self, count: int, containing: str = "", timeout: float = ANSWER_TIMEOUT_MS
    ) -> Locator:
        """Wait for the ``count``-th bot message (and check it contains ``containing``)."""
        reply = self.bot.nth(count - 1)
        expect(reply).to_be_visible(timeout=timeout)
        expect(reply).to_contain_text(containing)
        return reply

    def sender_id(self) -> str:
        return self.page.evaluate("localStorage.getItem('chizai-widget:sender')")

    def shadow_count(self, selector: str) -> int:
        """Elements matching ``selector`` inside the widget's shadow root."""
        script = "s => document.getElementById('chizai-chat-widget').shadowRoot.querySelectorAll(s).length"
        return self.page.evaluate(script, selector)


@pytest.fixture
def widget(browser: Browser, system: System) -> Iterator[Widget]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    try:
        yield Widget(context.new_page()).visit(system.gateway_url + "/")
    finally:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
