"""Security tests: the whole system, one running copy for the session as in tests/integration (a
fixed clock, so the days typed are the same on every run); and the gateway alone, its engine
unreachable (``client``), for the doors that need no engine."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from scripts.system import System
from tests.integration.conftest import CLOCK_START
from tests.unit.conftest import client, settings_env  # noqa: F401 - the gateway alone


@pytest.fixture(scope="session")
def system(tmp_path_factory) -> Iterator[System]:
    with System(tmp_path_factory.mktemp("system"), clock_start=CLOCK_START) as running:
        yield running


@pytest.fixture
def gateway(system) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.gateway_url, timeout=30) as http:
        yield http
