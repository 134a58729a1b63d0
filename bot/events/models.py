"""An event staff announce (a seminar, a course, a briefing)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.core.clock import utcnow
from bot.models import Base


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    time_text: Mapped[str | None] = mapped_column(String(60))  # 「14:00〜16:00」, as staff write it
    format: Mapped[str] = mapped_column(String(16))  # venue | online | hybrid
    how_to_apply: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(String(500))
    updated_by: Mapped[str] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
