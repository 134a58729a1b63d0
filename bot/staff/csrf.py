"""CSRF protection for every staff form: a synchronizer token per session (stored with the
session row, sent back in a hidden field), and a double-submit cookie for the sign-in form."""

from __future__ import annotations

import hmac
import secrets

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
LOGIN_COOKIE = "chizai_staff_login"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRejected(Exception):
    """A state-changing request came without the token of its session."""


def new_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_match(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison; a missing token never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def check(expected: str | None, given: str | None) -> None:
    """Raise CsrfRejected unless ``given`` is the expected token."""
    if not tokens_match(expected, given):
        raise CsrfRejected
