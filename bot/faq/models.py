"""The knowledge base as staff keep it: data/faq/ seeds it, and from then on the database holds
the answers (an entry's fields as JSON, as in its seed file), with every change audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.clock import utcnow
from bot.models import Base


class StoredEntry(Base):
    __tablename__ = "faq_entries"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    topic: Mapped[str] = mapped_column(String(32))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)  # title, questions, answer, next_step, facts, …
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EntryChange(Base):
    """Who changed which entry when, with the fields before and after."""

    __tablename__ = "faq_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(ForeignKey("faq_entries.id"), index=True)
    changed_by: Mapped[str] = mapped_column(String(254))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any]] = mapped_column(JSON)
