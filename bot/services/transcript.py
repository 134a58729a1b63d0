"""Recording conversations: every visitor message is stored before the engine is asked."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.clock import utcnow
from bot.core.db import with_retries
from bot.models import Conversation, Message


def _conversation(session: Session, sender_id: str, channel: str) -> Conversation:
    conversation = session.scalar(select(Conversation).where(Conversation.sender_id == sender_id))
    if conversation is None:
        conversation = Conversation(sender_id=sender_id, channel=channel)
        session.add(conversation)
        session.flush()
    conversation.last_message_at = utcnow()
    return conversation


def add_visitor_message(
    session: Session, sender_id: str, channel: str, text: str, address_key: str | None = None
) -> int:
    """Store a visitor's message with status ``received`` (and the digest of the address it came
    from, when known); returns its id."""
    conversation = _conversation(session, sender_id, channel)
    if address_key:
        conversation.address_key = address_key
    message = Message(conversation=conversation, direction="visitor", text=text, status="received")
    session.add(message)
    session.flush()
    return message.id


EMPTY = "empty"
# The status of a message written outside a visitor's turn (a staff member's reply, the notice
# that staff took or handed back the conversation): channels are told of these (bot/api/routes/web.py).
LIVE = "live"


def add_live_message(
    session: Session,
    sender_id: str,
    channel: str,
    direction: str,
    reply: Mapping[str, Any],
    author: str | None = None,
) -> int:
    """Store a message written outside a visitor's turn, before any channel shows it; its id."""
    conversation = _conversation(session, sender_id, channel)
    buttons = json.dumps(reply.get("buttons") or [], ensure_ascii=False)
    message = Message(
        conversation=conversation,
        direction=direction,
        text=reply.get("text", ""),
        buttons=buttons,
        author=author,
        status=LIVE,
    )
    session.add(message)
    session.flush()
    return message.id


def newest_live_message(sender_id: str) -> int:
    """The id of the conversation's newest message written outside a visitor's turn (0: none)."""

    def work(session: Session) -> int:
        newest = session.scalar(
            select(func.max(Message.id))
            .join(Conversation)
            .where(Conversation.sender_id == sender_id, Message.status == LIVE)
        )
        return newest or 0

    return with_retries(work)


def follows_an_empty_message(session: Session, sender_id: str) -> bool:
    """Whether the visitor's last message before now was empty (answered with ``EMPTY``)."""
    last = session.scalar(
        select(Message.status)
        .join(Conversation)
        .where(Conversation.sender_id == sender_id, Message.direction == "visitor")
        .order_by(Message.id.desc())
        .limit(1)
    )
    return last == EMPTY


def record_outcome(
    message_id: int,
    status: str,
    replies: Sequence[Mapping[str, Any]],
    intent: dict[str, Any] | None = None,
) -> None:
    """Mark how a visitor message was handled, with the intent the engine read, and store the
    bot's replies."""

    def work(session: Session) -> None:
        message = session.get(Message, message_id)
        if message is None:
            return
        message.status = status
        if intent:
            message.intent, message.confidence = intent.get("name"), intent.get("confidence")
        for reply in replies:
            buttons = json.dumps(reply.get("buttons") or [], ensure_ascii=False)
            card = json.dumps(reply["card"], ensure_ascii=False) if reply.get("card") else None
            session.add(
                Message(
                    conversation_id=message.conversation_id,
                    direction="bot",
                    text=reply.get("text", ""),
                    buttons=buttons,
                    card=card,
                    status="sent",
                )
            )

    with_retries(work)


def transcript(sender_id: str) -> list[dict[str, Any]]:
    """All turns of a conversation, oldest first."""

    def work(session: Session) -> list[dict[str, Any]]:
        conversation = session.scalar(select(Conversation).where(Conversation.sender_id == sender_id))
        if conversation is None:
            return []
        rows = session.scalars(
            select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
        )
        return [
            {
                "direction": m.direction,
                **({"author": m.author} if m.author else {}),
                "text": m.text,
                "buttons": json.loads(m.buttons) if m.buttons else [],
                **({"card": json.loads(m.card)} if m.card else {}),
                "created_at": m.created_at.isoformat(),
            }
            for m in rows
        ]

    return with_retries(work)
