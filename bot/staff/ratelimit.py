"""Sign-in rate limit: a few failures per account and per client address within a window.

An account's failures count since its last successful sign-in; an address's failures count
across accounts (password spraying). Attempts made while locked count as failures too.

An attempt is recorded (as failed) and committed *before* its password is checked, and the limit
counts the attempts recorded before it, in order: attempts made at once cannot all pass the check
of a limit that none of them has reached yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.core.clock import utcnow
from bot.core.config import get_settings
from bot.core.db import rows_changed, with_retries
from bot.staff.models import LoginAttempt
from bot.staff.timefmt import as_utc


@dataclass(frozen=True)
class Limits:
    window: timedelta
    per_account: int
    per_ip: int

    @classmethod
    def from_settings(cls) -> Limits:
        settings = get_settings()
        return cls(
            window=timedelta(minutes=settings.login_window_minutes),
            per_account=settings.login_max_failures_per_account,
            per_ip=settings.login_max_failures_per_ip,
        )


def _failures(session: Session, since: datetime, *conditions) -> int:
    query = select(func.count()).select_from(LoginAttempt)
    query = query.where(LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since, *conditions)
    return session.scalar(query) or 0


def is_locked(
    session: Session, email: str, ip: str, limits: Limits | None = None, before: int | None = None
) -> bool:
    """True while the account or the address has used up its failures in the window (counting
    only the attempts recorded before attempt ``before``, when given)."""
    limits = limits or Limits.from_settings()
    since = utcnow() - limits.window
    earlier = (LoginAttempt.id < before,) if before is not None else ()
    last_success = session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email, LoginAttempt.succeeded.is_(True)
        )
    )
    account_since = max(since, as_utc(last_success)) if last_success else since
    if _failures(session, account_since, LoginAttempt.email == email, *earlier) >= limits.per_account:
        return True
    return _failures(session, since, LoginAttempt.ip == ip, *earlier) >= limits.per_ip


def begin(session: Session, email: str, ip: str) -> int:
    """Record an attempt as failed until it succeeds; its id."""
    attempt = LoginAttempt(email=email, ip=ip, succeeded=False, attempted_at=utcnow())
    session.add(attempt)
    session.flush()
    return attempt.id


def start(email: str, ip: str) -> tuple[int, bool]:
    """Record an attempt (committed at once), then whether the attempts before it used up the
    limit: the attempt's id, and whether it is locked."""
    attempt = with_retries(lambda session: begin(session, email, ip))
    return attempt, with_retries(lambda session: is_locked(session, email, ip, before=attempt))


def succeeded(session: Session, attempt_id: int) -> None:
    attempt = session.get(LoginAttempt, attempt_id)
    if attempt is not None:
        attempt.succeeded = True


def forget_before(session: Session, cutoff: datetime) -> int:
    """Delete attempts older than ``cutoff``; returns how many."""
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < cutoff))
    return rows_changed(result)
