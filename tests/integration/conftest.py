"""Integration fixtures: the whole system, really running, once per test session."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from scripts.system import System


@pytest.fixture(scope="session")
def system(tmp_path_factory) -> Iterator[System]:
    with System(tmp_path_factory.mktemp("system")) as running:
        yield running


@pytest.fixture
def gateway(system) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=system.gateway_url, timeout=30) as client:
        yield client
