"""The operators' watch (``python -m bot watch``): a component down for a minute is e-mailed once
through a real SMTP server, and its recovery too; a short blip is not."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.notify import watch
from bot.notify.watch import Alert, Watch
from tests.smtp import smtp_server

UP = {"gateway": "ok", "rasa": "ok", "database": "ok"}
RASA_DOWN = {**UP, "rasa": "down"}


def test_a_component_down_for_a_minute_is_told_once_and_its_recovery_too():
    seen = Watch(after_seconds=60)
    assert seen.observe(RASA_DOWN, 0) == [] and seen.observe(RASA_DOWN, 59) == []
    assert seen.observe(RASA_DOWN, 61) == [Alert("rasa", True, 61)]
    assert seen.observe(RASA_DOWN, 200) == []
    assert seen.observe(UP, 230) == [Alert("rasa", False, 230)]
    assert seen.observe(UP, 300) == []


def test_a_short_blip_is_not_told():
    seen = Watch(after_seconds=60)
    assert (
        seen.observe(RASA_DOWN, 0) == [] and seen.observe(UP, 30) == [] and seen.observe(RASA_DOWN, 70) == []
    )


class Health(BaseHTTPRequestHandler):
    """A gateway's /healthz that reports what ``state`` says."""

    state: dict[str, str] = RASA_DOWN

    def do_GET(self) -> None:
        body = json.dumps({"status": "degraded", "components": self.state}).encode()
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args) -> None:
        pass


@pytest.fixture
def health_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_the_watch_e_mails_the_operators_through_the_smtp_server(settings_env, monkeypatch, health_server):
    monkeypatch.setenv("CHIZAI_OPERATOR_MAIL_TO", "ops@example.jp")
    monkeypatch.setenv("CHIZAI_ALERT_AFTER_SECONDS", "0.2")
    with smtp_server(monkeypatch) as inbox:
        watch.run(health_server, interval_seconds=0.1, rounds=5)
        assert [to for to, _ in inbox.mails] == [["ops@example.jp"]]
        assert "rasa が停止しています" in inbox.mails[0][1]


def test_a_gateway_that_does_not_answer_is_down():
    assert watch.read_health("http://127.0.0.1:9") == {"gateway": "down"}
