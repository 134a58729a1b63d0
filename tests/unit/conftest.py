"""Unit-test fixtures: a fresh SQLite database and a gateway whose engine is unreachable."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
import time_machine
from fastapi.testclient import TestClient

from bot.api.app import create_app
from bot.booking.calendar import seed_calendar
from bot.core import clock, db
from bot.core.config import get_settings


def closed_port() -> int:
    """A loopback port nobody listens on (so the engine is really down)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def settings_env(tmp_path, monkeypatch) -> Iterator[None]:
    port = closed_port()
    monkeypatch.setenv("CHIZAI_DATABASE_URL", f"sqlite:///{tmp_path / 'test.db'}")
    monkeypatch.setenv("CHIZAI_RASA_TRACKER_URL", f"sqlite:///{tmp_path / 'rasa_tracker.db'}")
    monkeypatch.setenv("CHIZAI_RASA_URL", f"http://127.0.0.1:{port}")
    # No scheduled purge in the app's lifespan: its worker thread would outlive the test and read the
    # settings of the next one (tests/unit/test_retention.py runs the purge itself).
    monkeypatch.setenv("CHIZAI_PURGE_INTERVAL_HOURS", "0")
    monkeypatch.setenv("CHIZAI_LOG_DIR", str(tmp_path / "log"))
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    clock.reset()
    yield
    get_settings.cache_clear()
    db.get_engine.cache_clear()
    clock.reset()


@pytest.fixture
def client(settings_env) -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


# A Wednesday in an ordinary week, Tokyo time: the booking tests' "now".
CALENDAR_NOW = "2026-11-25 09:00 +09:00"


@pytest.fixture
def calendar(settings_env) -> Iterator[None]:
    """A migrated store with the sample consultation calendar, the clock at ``CALENDAR_NOW``."""
    db.migrate()
    db.with_retries(lambda session: seed_calendar(session, get_settings().calendar_file))
    with time_machine.travel(CALENDAR_NOW, tick=False):
        yield
