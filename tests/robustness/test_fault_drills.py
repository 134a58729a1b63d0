"""Fault drills on the real running system: a part fails, the visitor still gets a polite answer.

Extends tests/integration/test_conversation.py (Rasa stopped between two turns) and tests/line
(single 429/5xx answers) with what they do not cover: Rasa killed while requests are in flight,
on the web and on LINE; a forged call to the action endpoint; the database locked; LINE refusing
every retry.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx

from bot.channels.line import signature_of
from bot.conversation import replies
from scripts.bad_input import LINE_SECRET, line_text_event, webhook_body
from scripts.system import System
from tests.robustness.conftest import database_path, visitor_rows

PATENT_TERM = "特許の権利は何年続きますか"
PATENT_ANSWER = "起算して20年"


def web_sender() -> str:
    return f"web-drill-{uuid.uuid4().hex}"


def line_user() -> str:
    return f"U{uuid.uuid4().hex}"


def chat(gateway: httpx.Client, text: str, sender_id: str) -> list[str]:
    """The texts the visitor sees; the contract holds: 200, the same sender, never no message."""
    response = gateway.post("/api/chat", json={"sender_id": sender_id, "text": text})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["sender_id"] == sender_id
    assert body["messages"] and all(m["text"].strip() for m in body["messages"])
    return [m["text"] for m in body["messages"]]


def line_says(gateway: httpx.Client, line_api, user_id: str, text: str, timeout: float = 60) -> list[str]:
    """Send a signed LINE text message; the texts of the answer that reached LINE."""
    event = line_text_event(user_id, text)
    body = webhook_body(event)
    headers = {"content-type": "application/json", "x-line-signature": signature_of(LINE_SECRET, body)}
    response = gateway.post("/webhooks/line", content=body, headers=headers)
    assert response.status_code == 200, response.text
    call = line_api.wait_for(timeout=timeout, reply_token=event["replyToken"])
    return call.texts


def kill(system: System, name: str) -> None:
    """SIGKILL a service: no clean shutdown, requests in flight are cut."""
    process = system.processes.pop(name)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


# --- Rasa killed ---------------------------------------------------------------------------------


def test_rasa_killed_mid_request_every_turn_is_answered_politely_recorded_and_resumed(
    system, gateway, line_api
):
    senders = [web_sender() for _ in range(4)]
    turns: list[tuple[str, list[str]]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def visitor(sender_id: str) -> None:
        with httpx.Client(base_url=system.gateway_url, timeout=60) as client:
            while not stop.is_set():
                texts = chat(client, PATENT_TERM, sender_id)
                with lock:
                    turns.append((sender_id, texts))

    with ThreadPoolExecutor(len(senders)) as pool:
        running = [pool.submit(visitor, sender) for sender in senders]
        time.sleep(1.5)
        kill(system, "rasa")  # while the visitors' requests are in flight
        try:
            time.sleep(1.5)
            stop.set()
            for future in running:
                future.result()  # re-raises any broken contract

            answered = [texts for _, texts in turns if texts != [replies.ENGINE_UNAVAILABLE]]
            unavailable = [texts for _, texts in turns if texts == [replies.ENGINE_UNAVAILABLE]]
            assert answered and unavailable
            assert all(PATENT_ANSWER in " ".join(texts) for texts in answered), {tuple(t) for t in answered}
            for sender in senders:  # every turn recorded, each with how it ended
                rows = visitor_rows(system, sender)
                sent = [texts for who, texts in turns if who == sender]
                assert len(rows) == len(sent)
                assert {status for _, status in rows} <= {"answered", "engine_unavailable"}
                assert [s for _, s in rows].count("engine_unavailable") == sent.count(
                    [replies.ENGINE_UNAVAILABLE]
                )

            # While Rasa is down: parse says so in the error shape, health names it, LINE is polite.
            parse = gateway.post("/api/nlu/parse", json={"text": PATENT_TERM})
            assert parse.status_code == 503
            assert parse.json()["error"]["code"] == "engine_unavailable"
            health = gateway.get("/healthz")
            assert health.status_code == 503 and health.json()["components"]["rasa"] == "down"
            user = line_user()
            assert line_says(gateway, line_api, user, PATENT_TERM) == [replies.ENGINE_UNAVAILABLE]
            assert visitor_rows(system, user) == [(PATENT_TERM, "engine_unavailable")]
        finally:
            system.start_rasa()
            system.wait_until_healthy()

    # The same conversations go on once Rasa is back.
    assert PATENT_ANSWER in " ".join(chat(gateway, PATENT_TERM, senders[0]))
    assert PATENT_ANSWER in " ".join(line_says(gateway, line_api, user, PATENT_TERM))
    assert visitor_rows(system, user)[-1] == (PATENT_TERM, "answered")


# --- the action endpoint: only the engine may call it ------------------------------------------


def test_a_forged_action_call_is_refused_and_changes_nothing(system, gateway):
    sender = web_sender()
    call = {"next_action": "action_escalate", "sender_id": sender, "version": "3.6.21", "domain": {},
            "tracker": {"sender_id": sender, "slots": {}, "latest_message": {"text": "至急"}, "events": []}}  # fmt: skip
    for url in ("/engine/actions", "/engine/actions?token=guess"):
        assert gateway.post(url, json=call).status_code == 403
    with sqlite3.connect(database_path(system), timeout=30) as db:
        assert db.execute("SELECT count(*) FROM escalations WHERE sender_id = ?", (sender,)).fetchone() == (
            0,
        )


# --- the database locked -------------------------------------------------------------------------


def test_a_locked_database_gets_bounded_retries_then_a_polite_message_and_no_5xx(system, gateway, line_api):
    senders = [web_sender() for _ in range(3)]
    user = line_user()
    holder = sqlite3.connect(database_path(system), isolation_level=None, timeout=5)
    holder.execute("BEGIN EXCLUSIVE")  # no other connection may write until it ends

    def timed_chat(sender_id: str) -> tuple[float, list[str]]:
        started = time.monotonic()
        with httpx.Client(base_url=system.gateway_url, timeout=120) as client:
            return time.monotonic() - started, chat(client, PATENT_TERM, sender_id)

    try:
        with ThreadPoolExecutor(4) as pool:
            chats = [pool.submit(timed_chat, sender) for sender in senders]
            line_answer = pool.submit(line_says, gateway, line_api, user, PATENT_TERM, 120)
            parse = gateway.post("/api/nlu/parse", json={"text": PATENT_TERM})  # needs no database
            assert parse.status_code == 200
            for future in chats:
                elapsed, texts = future.result()
                assert texts == [replies.STORE_UNAVAILABLE]
                assert elapsed < 30  # 3 attempts of a 5 s busy wait, not forever
            assert line_answer.result() == [replies.STORE_UNAVAILABLE]
    finally:
        holder.rollback()
        holder.close()

    for sender in senders:
        assert visitor_rows(system, sender) == []  # nothing half-written
        assert PATENT_ANSWER in " ".join(chat(gateway, PATENT_TERM, sender))
        assert visitor_rows(system, sender) == [(PATENT_TERM, "answered")]


# --- LINE refusing every retry -------------------------------------------------------------------


def test_a_reply_rate_limited_on_every_retry_is_still_delivered_by_push(system, gateway, line_api):
    user = line_user()
    event = line_text_event(user, PATENT_TERM)
    line_api.fail_next(event["replyToken"], 429, 429, 429)
    body = webhook_body(event)
    headers = {"content-type": "application/json", "x-line-signature": signature_of(LINE_SECRET, body)}
    assert gateway.post("/webhooks/line", content=body, headers=headers).status_code == 200
    push = line_api.wait_for(to=user)
    assert PATENT_ANSWER in " ".join(push.texts)
    assert [c.status for c in line_api.calls(reply_token=event["replyToken"])] == [429, 429, 429]
    assert len([c for c in line_api.calls("push", to=user) if c.status == 200]) == 1
