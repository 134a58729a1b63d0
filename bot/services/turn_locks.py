"""One turn at a time per conversation, across every gateway worker.

Rasa 3.6's Redis lock store is not safe when two replicas take one conversation's lock at the
same moment (RasaHQ/rasa#9213; the fix, #11256, was reverted in #11428): both go ahead, and the
SQL tracker store then keeps only one of the two new user events. So the gateway hands each
visitor's messages to Rasa one at a time: an asyncio lock per conversation within a worker and,
when the workers share a Redis (``CHIZAI_REDIS_URL``), a Redis lock across them. Redis rather
than a PostgreSQL advisory lock: a waiting turn would hold a pooled connection that the action
server's calls back into the gateway need.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from redis.asyncio import Redis
from redis.exceptions import LockError, RedisError

from bot.core.config import Settings

KEY_PREFIX = "chizai:turn:"


class TurnUnavailable(Exception):
    """The conversation's turn could not be taken in time, or Redis did not answer."""


class TurnLocks:
    """``async with locks.turn(sender_id)``: that visitor's other messages wait their turn.

    ``lifetime`` bounds how long a crashed worker's Redis lock outlives it; ``wait`` how long a
    message waits for the turn before the visitor is asked to send it again.
    """

    def __init__(self, redis: Redis | None, lifetime: float, wait: float) -> None:
        self._redis = redis
        self._lifetime = lifetime
        self._wait = wait
        self._local: dict[str, asyncio.Lock] = {}
        self._holders: Counter[str] = Counter()

    @property
    def shared(self) -> bool:
        """True when the turns are shared with other workers through Redis."""
        return self._redis is not None

    async def redis_ok(self) -> bool:
        """True when the shared Redis answers (always, without one)."""
        if self._redis is None:
            return True
        try:
            return bool(await self._redis.ping())
        except RedisError:
            return False

    @asynccontextmanager
    async def turn(self, sender_id: str) -> AsyncIterator[None]:
        """Hold ``sender_id``'s turn; raises ``TurnUnavailable`` when it cannot be had."""
        deadline = asyncio.get_running_loop().time() + self._wait
        local = self._local.setdefault(sender_id, asyncio.Lock())
        self._holders[sender_id] += 1
        try:
            try:
                async with asyncio.timeout_at(deadline):
                    await local.acquire()
            except TimeoutError as error:
                raise TurnUnavailable("another message of this visitor is still being answered") from error
            try:
                async with self._across_workers(sender_id, deadline):
                    yield
            finally:
                local.release()
        finally:
            self._holders[sender_id] -= 1
            if not self._holders[sender_id]:
                del self._holders[sender_id], self._local[sender_id]

    @asynccontextmanager
    async def _across_workers(self, sender_id: str, deadline: float) -> AsyncIterator[None]:
        if self._redis is None:
            yield
            return
        lock = self._redis.lock(f"{KEY_PREFIX}{sender_id}", timeout=self._lifetime, sleep=0.01)
        remaining = max(deadline - asyncio.get_running_loop().time(), 0.01)
        try:
            acquired = await lock.acquire(blocking_timeout=remaining)
        except RedisError as error:
            raise TurnUnavailable(f"Redis: {error}") from error
        if not acquired:
            raise TurnUnavailable("another worker is still answering this visitor")
        try:
            yield
        finally:
            # Expired (the turn outlived ``lifetime``) or Redis gone: the lock is free either way.
            with suppress(LockError, RedisError):
                await lock.release()


@asynccontextmanager
async def open_turn_locks(settings: Settings) -> AsyncIterator[TurnLocks]:
    """The gateway's turn locks: across workers through ``settings.redis_url`` when it is set.

    A turn is one call to Rasa, so it lives at most ``rasa_timeout_seconds``; the Redis lock lasts
    a little longer, and a message waits for its turn as long as one call may take.
    """
    timeout = settings.rasa_timeout_seconds
    redis = (
        Redis.from_url(settings.redis_url, socket_timeout=settings.health_timeout_seconds)
        if settings.redis_url
        else None
    )
    try:
        yield TurnLocks(redis, lifetime=timeout + 5, wait=timeout)
    finally:
        if redis is not None:
            await redis.aclose()
