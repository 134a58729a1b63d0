"""Staff dashboard tables: accounts, server-side sessions, sign-in attempts, an audit log of
staff actions, and the intents staff gave to messages the bot did not understand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.clock import utcnow
from bot.models import Base

ROLES = {"staff": "職員", "admin": "管理者"}


class StaffUser(Base):
    """A staff member who signs in to the dashboard; only ``admin`` manages accounts and settings."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16), default="staff")
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The ``callbacks`` permission: sees visitors' raw contact to call them back (admins too).
    can_call_back: Mapped[bool] = mapped_column(Boolean, default=False)
    # The second factor (bot/staff/second_factor.py): a TOTP secret, confirmed once by a code,
    # and the hashes of the unused recovery codes (JSON).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recovery_codes: Mapped[str | None] = mapped_column(Text)


class StaffSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "staff_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie token
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # False until the second factor is given, for accounts that need one.
    verified: Mapped[bool] = mapped_column(Boolean, default=True)


class LoginAttempt(Base):
    """One sign-in attempt, for rate limiting by account and by client address."""

    __tablename__ = "staff_login_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class AuditEntry(Base):
    """Who did what outside the escalation and catalogue histories (bookings, settings, accounts, purge)."""

    __tablename__ = "staff_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class NluLabel(Base):
    """The intent staff gave a visitor message the bot did not understand (``None`` = not usable).

    ``text`` is the message normalised with phone numbers and e-mail addresses masked, so it can
    become training data and outlive the transcript's retention period.
    """

    __tablename__ = "nlu_labels"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64))
    labelled_by: Mapped[str] = mapped_column(String(254))
    labelled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
