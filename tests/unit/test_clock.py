"""One clock for the product: real time, or a start instant fixed for tests through the system."""

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from bot.core import clock
from bot.core.config import Settings, get_settings


def test_the_clock_is_the_machines_when_no_start_is_set(settings_env):
    assert abs(clock.utcnow() - datetime.now(UTC)) < timedelta(seconds=1)


def test_a_start_instant_sets_the_clock_which_then_runs_on(settings_env, monkeypatch):
    monkeypatch.setenv("CHIZAI_CLOCK_START", "2026-12-22T10:00:00+09:00")
    get_settings.cache_clear()
    clock.reset()
    assert clock.now_tokyo() - datetime(2026, 12, 22, 10, 0) < timedelta(seconds=2)
    assert clock.utcnow().tzinfo is UTC or clock.utcnow().utcoffset() == timedelta(0)


def test_a_fixed_clock_is_refused_in_production():
    with pytest.raises(ValidationError, match="CLOCK_START is for tests"):
        Settings(env="production", clock_start="2026-12-22T10:00:00+09:00")
