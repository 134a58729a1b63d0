"""Keyed digests (HMAC-SHA256 with ``CHIZAI_SECRET_KEY``): a value that must be recognised again
but never read back, such as a client address, or the sign-in form's token for its pre-session.
Without the key set, a key of this process's own (one worker only; it changes at each start)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from bot.core.config import get_settings


@lru_cache
def _process_key() -> bytes:
    return secrets.token_bytes(32)


def _key() -> bytes:
    key = get_settings().secret_key
    return key.get_secret_value().encode() if key else _process_key()


def keyed_digest(value: str) -> str:
    """The hex HMAC of ``value``."""
    return hmac.new(_key(), value.encode(), hashlib.sha256).hexdigest()
