"""Rasa's own tracker store (SQLite, written by the real engine) is purged with the transcripts."""

import sqlite3
import uuid

from bot.privacy.rasa_trackers import purge_rasa_trackers
from tests.integration.test_conversation import chat

DAY = 86400


def tracker_events(system, sender_id: str) -> int:
    with sqlite3.connect(system.tracker_path) as db:
        return db.execute("SELECT count(*) FROM events WHERE sender_id = ?", (sender_id,)).fetchone()[0]


def test_a_conversation_idle_past_retention_leaves_rasas_tracker_store(system, gateway):
    sender = f"web-{uuid.uuid4().hex}"
    chat(gateway, "商標の登録はどれくらい有効ですか", sender)
    assert tracker_events(system, sender) > 0
    with sqlite3.connect(system.tracker_path) as db:  # as if it had happened 91 days ago
        db.execute("UPDATE events SET timestamp = timestamp - ? WHERE sender_id = ?", (91 * DAY, sender))

    assert purge_rasa_trackers(system.tracker_url, 90) == 1  # the other tests' conversations stay
    assert tracker_events(system, sender) == 0
    [answer] = chat(gateway, "特許の権利は何年続きますか", sender)
    assert "起算して20年" in answer["text"]  # coming back later simply starts afresh
