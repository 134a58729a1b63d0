"""The one-line embed on the center's own site, another origin than the gateway, in real Chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import Widget

QUESTION = "特許の存続期間は？"


def site_page(gateway_url: str) -> bytes:
    return (
        '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>センターのサイト</title>'
        f'<script src="{gateway_url}/widget.js" defer></script></head>'
        "<body><h1>東京都知的財産総合センター</h1></body></html>"
    ).encode()


@pytest.fixture
def site(system) -> Iterator[str]:
    """The center's site: a page of its own origin (localhost, another port) embedding the widget."""
    page = site_page(system.gateway_url)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://localhost:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_the_widget_on_the_sites_own_page_answers_and_reads_its_history_back(browser: Browser, system, site):
    context = browser.new_context(locale="ja-JP")
    try:
        page = context.new_page()
        answers = []
        page.on(
            "response", lambda response: answers.append(response) if "/api/chat" in response.url else None
        )
        widget = Widget(page).visit(f"{site}/")
        widget.open()
        widget.send(QUESTION)
        widget.expect_bot_reply(1, "起算して20年")
        # The calls really were cross-origin, and the gateway allowed them.
        assert {response.all_headers().get("access-control-allow-origin") for response in answers} == {"*"}
        assert {response.request.all_headers().get("origin") for response in answers} == {site}
        history = httpx.get(
            f"{system.gateway_url}/api/chat/history", params={"sender_id": widget.sender_id()}
        )
        assert history.json()["messages"][0]["text"] == QUESTION

        page.reload()
        widget.open()
        widget.expect_bot_reply(1, "起算して20年")  # the history, read back cross-origin
    finally:
        context.close()
