"""CSRF protection for every staff form: a synchronizer token per session (stored with the
session row, sent back in a hidden field); for the sign-in form, a pre-session cookie and a token
bound to it by an HMAC with the gateway's secret key (a cookie and a token an attacker makes up
do not match)."""

from __future__ import annotations

import hmac
import secrets

from bot.core.keyed import keyed_digest

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


def login_token(pre_session: str) -> str:
    """The sign-in form's token for the pre-session in its cookie."""
    return keyed_digest(pre_session)


def check_login(pre_session: str | None, given: str | None) -> None:
    """Raise CsrfRejected unless ``given`` is the token of this pre-session."""
    if not pre_session or not tokens_match(login_token(pre_session), given):
        raise CsrfRejected


def check(expected: str | None, given: str | None) -> None:
    """Raise CsrfRejected unless ``given`` is the expected token."""
    if not tokens_match(expected, given):
        raise CsrfRejected
