"""What staff need first about an escalated conversation, read from its transcript and bookings:
the topic and the right, a deadline the visitor stated, their company and booking numbers, and
the turns the bot could not answer. Japanese labels only, never intent codes or payloads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.booking.form import TOPIC_QUESTIONS
from bot.booking.models import Booking
from bot.escalation.urgency import likely_urgent_reason, stated_deadline
from bot.models import Conversation, Message
from bot.reading.booking_number import names_booking_number, read_booking_number
from bot.reading.names import company_named
from bot.staff.analytics import FALLBACK, INTENT_NAMES
from bot.staff.escalations import Turn
from bot.text.normalize import normalize

# What a conversation was about: the questions of a topic or a program (not the center itself).
TOPIC_INTENTS = TOPIC_QUESTIONS - {"ask_center_info"}
# The rights a visitor names, as staff file them.
_RIGHTS = (
    ("特許", r"特許|とっきょ|patent"),
    ("実用新案", r"実用新案|じつようしんあん"),
    ("意匠", r"意匠|いしょう|デザイン"),
    ("商標", r"商標|しょうひょう|trademark|ロゴ|ブランド名|商品名"),
    ("著作権", r"著作|ちょさく|copyright"),
    ("営業秘密", r"営業秘密|ノウハウ|顧客(リスト|名簿|情報)|trade\s*secret"),
)
MAX_UNANSWERED = 5


@dataclass(frozen=True)
class Summary:
    topics: tuple[str, ...]  # what the visitor asked about, first asked first
    rights: tuple[str, ...]
    urgency: str | None  # why the matter is urgent, in the visitor's case
    deadline: str | None  # as the visitor wrote it («12月10日まで», «2週間以内»)
    company: str | None
    booking_numbers: tuple[str, ...]
    unanswered: tuple[str, ...]  # visitor turns the bot did not understand, newest last
    trigger: str  # what the visitor said or pressed to be handed over


def _unique(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def trigger_label(trigger_text: str | None) -> str:
    """The words that handed the visitor over; a button's payload as the button's meaning."""
    if trigger_text and trigger_text.startswith("/"):
        intent = trigger_text[1:].split("{")[0]
        return f"ボタン操作({INTENT_NAMES[intent]})" if intent in INTENT_NAMES else "ボタン操作"
    return trigger_text or "(発言なし)"


def _trigger(trigger_text: str | None, said: list[Turn]) -> str:
    pressed = next((t.pressed for t in reversed(said) if t.text == trigger_text and t.pressed), None)
    return f"ボタン「{pressed}」" if pressed else trigger_label(trigger_text)


def topics_by_sender(session: Session, sender_ids: list[str]) -> dict[str, tuple[str, ...]]:
    """The topics each conversation asked about, first asked first, in one query (for the list)."""
    rows = session.execute(
        select(Conversation.sender_id, Message.intent)
        .join(Message, Message.conversation_id == Conversation.id)
        .where(
            Conversation.sender_id.in_(sender_ids),
            Message.direction == "visitor",
            Message.intent.in_(TOPIC_INTENTS),
        )
        .order_by(Message.id)
    )
    topics: dict[str, list[str]] = {}
    for sender_id, intent in rows:
        topics.setdefault(sender_id, []).append(INTENT_NAMES.get(intent or "", ""))
    return {sender_id: _unique(names) for sender_id, names in topics.items()}


def _bookings(session: Session, sender_id: str) -> list[Booking]:
    return list(session.scalars(select(Booking).where(Booking.sender_id == sender_id).order_by(Booking.id)))


def summarize(session: Session, sender_id: str, trigger_text: str | None, turns: list[Turn]) -> Summary:
    """The summary of one conversation, from what the visitor typed and booked."""
    said = [t for t in turns if t.direction == "visitor" and not t.purged]
    typed = [normalize(t.text) for t in said if not t.pressed]
    bookings = _bookings(session, sender_id)
    return Summary(
        topics=_unique(INTENT_NAMES[t.intent] for t in said if t.intent in TOPIC_INTENTS),
        rights=_unique(
            label for label, pattern in _RIGHTS if any(re.search(pattern, x, re.I) for x in typed)
        ),
        urgency=next((r for r in map(likely_urgent_reason, reversed(typed)) if r), None),
        deadline=next((d for d in map(stated_deadline, reversed(typed)) if d), None),
        company=next((b.company for b in reversed(bookings) if b.company), None)
        or next((c for c in map(company_named, typed) if c), None),
        booking_numbers=_unique(
            [
                *(b.number for b in bookings),
                *(read_booking_number(x) for x in typed if names_booking_number(x)),
            ]
        ),
        unanswered=tuple(t.text for t in said if t.intent == FALLBACK)[-MAX_UNANSWERED:],
        trigger=_trigger(trigger_text, said),
    )


def intent_name(intent: str | None) -> str | None:
    """The Japanese name of an intent for the transcript; ``None`` for none or an unknown code."""
    return INTENT_NAMES.get(intent) if intent else None
