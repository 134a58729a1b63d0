"""Database tables of the gateway's own store."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.core.clock import utcnow


class Base(DeclarativeBase):
    pass


class Conversation(Base):
    """One visitor's conversation on one channel, keyed by the channel's sender id."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_message_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The client address it last came from, as a keyed digest (bot/core/keyed.py): open bookings
    # are limited per address too (bot/booking/service.py). Purged with the texts.
    address_key: Mapped[str | None] = mapped_column(String(64), index=True)
    messages: Mapped[list[Message]] = relationship(back_populates="conversation")


# What a purged message's text becomes (bot/privacy/retention.py); staff pages show it as purged.
PURGED_TEXT = "(保存期間を過ぎたため削除しました)"


class Message(Base):
    """A visitor's or the bot's turn, recorded before and after the engine is asked."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))  # "visitor", "bot" or "staff"
    author: Mapped[str | None] = mapped_column(String(100))  # the staff member's display name
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[str | None] = mapped_column(Text)  # JSON list of {title, payload}
    card: Mapped[str | None] = mapped_column(Text)  # JSON {title, rows, notes} of a bot message
    intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(24))  # received, answered, engine_unavailable, ...
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    conversation: Mapped[Conversation] = relationship(back_populates="messages")

    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 (SQLAlchemy reads it as is)


class LineEvent(Base):
    """A LINE webhook event taken for handling; the unique id makes each event handled once."""

    __tablename__ = "line_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_event_id: Mapped[str] = mapped_column(String(64), unique=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LineFollower(Base):
    """Whether a LINE user follows the account; unfollowed users get nothing until they follow again."""

    __tablename__ = "line_followers"

    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    following: Mapped[bool]
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # time of the deciding event
