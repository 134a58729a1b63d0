"""Robustness fixtures: the whole system, LINE pointed at a stand-in, once for this package."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from scripts.bad_input import LINE_SECRET, LINE_TOKEN, line_env
from scripts.system import System
from tests.line.stand_in import LineApiStandIn


@pytest.fixture(scope="package")
def line_api() -> Iterator[LineApiStandIn]:
    with LineApiStandIn(LINE_TOKEN) as stand_in:
        yield stand_in


@pytest.fixture(scope="package")
def system(tmp_path_factory, line_api) -> Iterator[System]:
    # The drills send turns in tight loops; the public limits are tested in tests/security.
    env = {**line_env(line_api, LINE_SECRET), "CHIZAI_RELAXED_LIMITS": "true"}
    with System(tmp_path_factory.mktemp("robustness"), extra_env=env) as running:
        yield running


@pytest.fixture
def gateway(system) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.gateway_url, timeout=60) as client:
        yield client


def database_path(system: System) -> Path:
    return Path(system.database_url.removeprefix("sqlite:///"))


def visitor_rows(system: System, sender_id: str) -> list[tuple[str, str]]:
    """(text, status) of a conversation's visitor messages, oldest first."""
    with sqlite3.connect(database_path(system), timeout=30) as db:
        return db.execute(
            "SELECT m.text, m.status FROM messages m JOIN conversations c ON c.id = m.conversation_id"
            " WHERE c.sender_id = ? AND m.direction = 'visitor' ORDER BY m.id",
            (sender_id,),
        ).fetchall()
