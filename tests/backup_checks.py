"""A backup taken while visitors chat restores to databases with every message (SQLite or
PostgreSQL): shared by the integration and the scaled suites."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import httpx
import sqlalchemy

from bot.core.config import ROOT

MESSAGES = "SELECT m.id, c.sender_id, m.direction, m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id"


def run_cli(*arguments: str, database_url: str, tracker_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CHIZAI_DATABASE_URL": database_url,
           "CHIZAI_RASA_TRACKER_URL": tracker_url}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "bot", *arguments], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def rows(url: str, query: str, **parameters: str) -> list[tuple]:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(sqlalchemy.text(query), parameters)]
    finally:
        engine.dispose()


def chat(gateway_url: str, sender: str, text: str) -> None:
    answer = httpx.post(f"{gateway_url}/api/chat", json={"sender_id": sender, "text": text}, timeout=60)
    assert answer.status_code == 200, answer.text


def assert_a_backup_while_chatting_restores(
    gateway_url: str, live: tuple[str, str], restored: tuple[str, str], folder: Path
) -> None:
    """``live`` and ``restored``: the (gateway, tracker store) URLs of the running and the empty databases."""
    before, during = f"web-{uuid.uuid4().hex}", f"web-{uuid.uuid4().hex}"
    for text in ("こんにちは", "特許の権利は何年続きますか", "商標の登録はどれくらい有効ですか"):
        chat(gateway_url, before, text)
    stop, turns = threading.Event(), [0]

    def keep_chatting() -> None:
        while not stop.is_set():
            chat(gateway_url, during, f"著作権について教えてください {turns[0]}")
            turns[0] += 1

    chatter = threading.Thread(target=keep_chatting)
    chatter.start()
    try:
        while turns[0] < 2:
            stop.wait(0.05)
        run_cli("backup", "--to", str(folder), database_url=live[0], tracker_url=live[1])
        taken_at = turns[0]
        while turns[0] < taken_at + 2:  # visitors went on chatting after the copy
            stop.wait(0.05)
    finally:
        stop.set()
        chatter.join()
    run_cli("restore", str(folder), database_url=restored[0], tracker_url=restored[1])

    copy = rows(restored[0], f"{MESSAGES} ORDER BY m.id")
    assert copy == rows(live[0], f"{MESSAGES} WHERE m.id <= {copy[-1][0]} ORDER BY m.id")
    assert sum(row[1] == before for row in copy) == 6  # every turn from before, asked and answered
    assert any(row[1] == during for row in copy) and len(copy) < len(rows(live[0], MESSAGES))
    tracked = "SELECT count(*) FROM events WHERE sender_id = :sender AND type_name = 'user'"
    assert rows(restored[1], tracked, sender=before) == [(3,)]
