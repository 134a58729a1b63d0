"""The answers a visitor has given in a form not yet finished (the form's draft)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.clock import utcnow
from bot.models import Base


class FormDraft(Base):
    """One visitor's answers to one form, as JSON; deleted when the form ends or goes stale."""

    __tablename__ = "form_drafts"

    sender_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    form: Mapped[str] = mapped_column(String(40), primary_key=True)
    answers: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )
