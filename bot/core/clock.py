"""What time it is, for everything that reads "now".

Real time, unless the gateway's ``CHIZAI_CLOCK_START`` (refused in production) sets the clock
to an instant at start-up, from which it runs on at the real pace: tests and evaluations through
the running system use it so that dates typed by visitors ("来週の水曜") mean the same days on
every run. In-process tests move the clock with ``time_machine`` instead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from bot.core.config import get_settings

TOKYO = ZoneInfo("Asia/Tokyo")


@lru_cache
def _offset() -> timedelta:
    """How far the product's clock is from the machine's (zero unless a start is set)."""
    start = get_settings().clock_start
    return timedelta(0) if start is None else start - datetime.now(UTC)


def utcnow() -> datetime:
    """Now, as an aware UTC datetime."""
    return datetime.now(UTC) + _offset()


def now_tokyo() -> datetime:
    """The current Tokyo wall-clock time (naive, like stored slot times)."""
    return utcnow().astimezone(TOKYO).replace(tzinfo=None, microsecond=0)


def reset() -> None:
    """Read the clock setting again (tests that change the settings)."""
    _offset.cache_clear()
