"""LINE's loading indicator: shown when an answer takes more than a second (a paused engine),
not for a quick one; LINE has had its 200 before either."""

import os
import signal
import time

from tests.line.conftest import new_user, text_event


def loading_calls(line_api, user: str) -> list:
    return [call for call in line_api.calls("loading") if call.body.get("chatId") == user]


def test_a_slow_answer_shows_the_loading_indicator_until_it_comes(system, webhook, line_api):
    user, rasa = new_user(), system.processes["rasa"]
    message = text_event(user, "商標権は何年ですか")
    os.kill(rasa.pid, signal.SIGSTOP)  # the engine thinks for three seconds
    try:
        webhook.send(message)  # LINE gets its 200 at once
        deadline = time.monotonic() + 10
        while not loading_calls(line_api, user) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not line_api.calls(reply_token=message["replyToken"])
        time.sleep(2)
    finally:
        os.kill(rasa.pid, signal.SIGCONT)
    reply = line_api.wait_for(reply_token=message["replyToken"])
    (loading,) = loading_calls(line_api, user)
    assert loading.body == {"chatId": user, "loadingSeconds": 20} and loading.status == 202
    assert "10年" in "\n".join(reply.texts)


def test_a_quick_answer_shows_no_loading_indicator(webhook, line_api):
    user = new_user()
    message = text_event(user, "よくある質問")  # answered by the gateway itself, at once
    webhook.send(message)
    line_api.wait_for(reply_token=message["replyToken"])
    time.sleep(1.5)
    assert loading_calls(line_api, user) == []
