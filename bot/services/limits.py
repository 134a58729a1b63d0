"""Public limits on the chat: turns per minute per conversation and per client address.

A conversation's turns are counted in the transcript, so every gateway worker sees the same
count. A client address is counted by each worker in memory (the limit applies per worker);
loopback is not counted, since a reverse proxy on this machine not named in
``CHIZAI_TRUSTED_PROXIES`` would make every visitor one address. LINE is limited per user id
only: every LINE call comes from LINE's servers. Defaults and reasons: docs/privacy.md.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.clock import utcnow
from bot.core.config import get_settings
from bot.core.keyed import keyed_digest
from bot.models import Conversation, Message

MINUTE = 60.0
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_TRACKED_ADDRESSES = 10_000  # the least recently seen are forgotten beyond this


def address_key(address: str | None) -> str | None:
    """The keyed digest a client address is known by (none for loopback or no address)."""
    return keyed_digest(address) if address and address not in LOOPBACK else None


def sender_is_busy(session: Session, sender_id: str) -> bool:
    """Whether the conversation has sent its limit of messages in the last minute."""
    since = utcnow() - timedelta(seconds=MINUTE)
    count = session.scalar(
        select(func.count())
        .select_from(Message)
        .join(Conversation)
        .where(
            Conversation.sender_id == sender_id, Message.direction == "visitor", Message.created_at >= since
        )
    )
    settings = get_settings()
    return (count or 0) >= settings.limit(settings.turns_per_minute_per_sender)


class AddressWindow:
    """Requests per client address in the last minute, in this worker."""

    def __init__(self) -> None:
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allows(self, address: str | None) -> bool:
        """Count a request from ``address``; whether it is within the limit."""
        if not address or address in LOOPBACK:
            return True
        settings = get_settings()
        limit, now = settings.limit(settings.turns_per_minute_per_address), time.monotonic()
        with self._lock:
            times = self._seen.pop(address, None) or deque()
            while times and times[0] <= now - MINUTE:
                times.popleft()
            self._seen[address] = times
            if len(self._seen) > _TRACKED_ADDRESSES:
                self._seen.popitem(last=False)
            if len(times) >= limit:
                return False
            times.append(now)
            return True
