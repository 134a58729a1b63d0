"""Staff accounts and server-side sessions: sign in, who is signed in, sign out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.core.clock import utcnow
from bot.core.config import get_settings
from bot.core.db import rows_changed, with_retries
from bot.staff import csrf, ratelimit, second_factor
from bot.staff.models import ROLES, StaffSession, StaffUser
from bot.staff.passwords import hash_password, needs_rehash, spend_verify_time, verify_password
from bot.staff.timefmt import as_utc
from bot.text.normalize import normalize

SESSION_COOKIE = "chizai_staff_session"
# Write the "last seen" time at most this often, not on every page.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member as pages see them."""

    id: int
    email: str
    name: str
    role: str
    can_call_back: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def sees_contact(self) -> bool:
        """The ``callbacks`` permission, which admins hold too."""
        return self.is_admin or self.can_call_back


@dataclass(frozen=True)
class SignedIn:
    staff: Staff
    csrf_token: str
    verified: bool = True  # False until the second factor is given (bot/staff/second_factor.py)


@dataclass(frozen=True)
class LoginResult:
    """The account when the sign-in succeeded; ``locked`` when the rate limit refused it."""

    user: StaffUser | None
    locked: bool = False


class Forbidden(Exception):
    """The signed-in staff member's role does not allow this."""


def normalize_email(email: str) -> str:
    return normalize(email).strip().lower()


def _staff(user: StaffUser) -> Staff:
    return Staff(
        id=user.id, email=user.email, name=user.display_name, role=user.role, can_call_back=user.can_call_back
    )


def save_user(
    session: Session, email: str, role: str, password: str | None, display_name: str | None = None
) -> tuple[StaffUser, bool]:
    """Create the account, or update its role, name and password; returns it and whether it is new."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    email = normalize_email(email)
    user = session.scalar(select(StaffUser).where(StaffUser.email == email))
    created = user is None
    if user is None:
        if password is None:
            raise ValueError("a new account needs a password")
        user = StaffUser(email=email, display_name=display_name or email.split("@")[0], role=role)
        session.add(user)
    user.role, user.active = role, True
    if display_name:
        user.display_name = display_name
    if password is not None:
        user.password_hash = hash_password(password)
    session.flush()
    if not created:
        end_user_sessions(session, user.id)
    return user, created


def authenticate(email: str, password: str, ip: str) -> LoginResult:
    """Check a sign-in. The attempt is recorded and committed first, so attempts made at once
    cannot pass the rate limit together; the password check waits its turn (bot/staff/passwords.py)
    and costs the same for an unknown account."""
    email = normalize_email(email)
    attempt, locked = ratelimit.start(email, ip)
    if locked:
        return LoginResult(None, locked=True)
    user = with_retries(lambda session: session.scalar(select(StaffUser).where(StaffUser.email == email)))
    if user is None or not user.active:
        spend_verify_time(password)
        return LoginResult(None)
    if not verify_password(user.password_hash, password):
        return LoginResult(None)

    def succeed(session: Session) -> StaffUser:
        ratelimit.succeeded(session, attempt)
        signed_in = session.get_one(StaffUser, user.id)
        if needs_rehash(signed_in.password_hash):
            signed_in.password_hash = hash_password(password)
        signed_in.last_login_at = utcnow()
        return signed_in

    return LoginResult(with_retries(succeed))


def sign_in(email: str, password: str, ip: str) -> tuple[str | None, bool]:
    """A new session token when the sign-in succeeds (else ``None``), and whether it was locked.
    Signing in ends the account's older sessions."""
    result = authenticate(email, password, ip)
    user = result.user
    if user is None:
        return None, result.locked

    def new_session(session: Session) -> str:
        end_user_sessions(session, user.id)
        return start_session(session, user)

    return with_retries(new_session), False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: StaffUser) -> str:
    """A new session for ``user``; returns the token for the cookie (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    hours = get_settings().staff_session_hours
    session.add(
        StaffSession(
            id=_digest(token),
            user_id=user.id,
            csrf_token=csrf.new_token(),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=hours),
            verified=not second_factor.required(user),
        )
    )
    return token


def load_session(session: Session, token: str | None) -> SignedIn | None:
    """Who holds this session token, if it is live (not expired, not idle too long, account active)."""
    if not token or len(token) > 200:
        return None
    row = session.get(StaffSession, _digest(token))
    if row is None:
        return None
    now = utcnow()
    idle = timedelta(minutes=get_settings().staff_idle_minutes)
    user = session.get(StaffUser, row.user_id)
    if as_utc(row.expires_at) <= now or as_utc(row.last_seen_at) + idle <= now or not (user and user.active):
        session.delete(row)
        return None
    if as_utc(row.last_seen_at) + TOUCH_EVERY <= now:
        row.last_seen_at = now
    return SignedIn(staff=_staff(user), csrf_token=row.csrf_token, verified=row.verified)


def verify_session(session: Session, token: str | None) -> None:
    """The second factor was given: the session may open every page its role allows."""
    row = session.get(StaffSession, _digest(token)) if token else None
    if row is not None:
        row.verified = True


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(StaffSession).where(StaffSession.id == _digest(token)))


def end_user_sessions(session: Session, user_id: int) -> None:
    """Sign the account out everywhere (after a password or role change, or when disabled)."""
    session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))


def forget_expired(session: Session, now: datetime | None = None) -> int:
    """Delete sessions past their lifetime; returns how many."""
    result = session.execute(delete(StaffSession).where(StaffSession.expires_at < (now or utcnow())))
    return rows_changed(result)


def require_admin(staff: Staff) -> None:
    if not staff.is_admin:
        raise Forbidden
