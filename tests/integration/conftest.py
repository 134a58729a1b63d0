"""Integration fixtures: the whole system, really running, once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from scripts.system import System, free_port

# The gateway's clock for these tests: a Tuesday in an ordinary week, so that the days visitors
# type (「来週の水曜」) are the same on every run, whatever the machine's date.
CLOCK_START = "2026-12-01T10:00:00+09:00"


@pytest.fixture(scope="session")
def system(tmp_path_factory) -> Iterator[System]:
    # Links the bot sends use the public address (here another name of this machine), never the
    # address Rasa and the gateway use between themselves.
    port = free_port()
    public = {"CHIZAI_PUBLIC_URL": f"http://localhost:{port}"}
    with System(
        tmp_path_factory.mktemp("system"), gateway_port=port, clock_start=CLOCK_START, extra_env=public
    ) as running:
        yield running


@pytest.fixture
def gateway(system) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.gateway_url, timeout=30) as client:
        yield client
