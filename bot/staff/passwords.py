"""Staff passwords: argon2id hashes (argon2-cffi defaults), never the password itself.

Each hash takes 64 MiB for a moment: at most ``AT_ONCE`` run together and the rest wait their
turn, so many sign-in attempts at once queue instead of exhausting the gateway's memory.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_STRENGTH = 3  # zxcvbn's score (0-4): 3 is "safely unguessable" against online attacks
AT_ONCE = 2

_hasher = PasswordHasher()
_hashing = threading.BoundedSemaphore(AT_ONCE)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` with a fresh salt."""
    with _hashing:
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash`` (False for a wrong or unreadable hash)."""
    try:
        with _hashing:
            return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


@lru_cache
def _dummy_hash() -> str:
    return hash_password("not-a-real-password-only-for-timing")


def spend_verify_time(password: str) -> None:
    """Verify against a dummy hash, so an unknown account takes as long as a wrong password."""
    verify_password(_dummy_hash(), password)


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be used (in Japanese), or ``None`` when it can."""
    if len(password) < MIN_LENGTH:
        return f"パスワードは{MIN_LENGTH}文字以上にしてください。"
    if len(password) > MAX_LENGTH:
        return f"パスワードは{MAX_LENGTH}文字以内にしてください。"
    if password.strip() != password or not password.strip():
        return "パスワードの先頭と末尾に空白は使えません。"
    if zxcvbn(password)["score"] < MIN_STRENGTH:  # common, breached or patterned passwords
        return "推測されやすいパスワードです。よく使われる語や並び、繰り返しを避けてください。"
    return None
