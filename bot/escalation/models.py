"""Escalation records that staff work from open to closed, with their history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.core.clock import utcnow
from bot.models import Base

REASONS = {"requested_human": "担当者希望", "repeated_fallback": "2回続けて理解できず", "urgent": "緊急案件"}
PRIORITIES = {"high": "高", "normal": "通常"}
STATUSES = {"open": "未対応", "in_progress": "対応中", "closed": "完了"}


class Escalation(Base):
    """A conversation handed to staff. While ``bot_paused`` (a staff member in the chat, which
    nothing does yet), the bot does not answer on its own."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The reference number (受付番号) the visitor is given; none on rows made before it existed.
    reference: Mapped[str | None] = mapped_column(String(16), unique=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    priority: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    trigger_text: Mapped[str | None] = mapped_column(Text)
    bot_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_consent: Mapped[bool | None] = mapped_column(Boolean)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    assigned_to: Mapped[str | None] = mapped_column(String(100))
    resolution: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class EscalationEvent(Base):
    """One step in an escalation's history: who did what, with an optional note."""

    __tablename__ = "escalation_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def record_step(
    session: Session, escalation: Escalation, actor: str, action: str, note: str | None = None
) -> None:
    """Add one step to the escalation's history."""
    session.add(EscalationEvent(escalation_id=escalation.id, actor=actor, action=action, note=note))
