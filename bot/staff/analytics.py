"""Figures staff read at a glance, counted by Japan-time day: conversations and messages, the
intents Rasa recognised, how often it did not understand, escalations and bookings; and the
improvement loop: messages it did not understand, labelled by staff, exported as Rasa NLU data."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.booking.models import Booking
from bot.core.config import ROOT
from bot.core.logging import mask_pii
from bot.escalation.models import REASONS, Escalation
from bot.models import PURGED_TEXT, Message
from bot.staff.models import NluLabel
from bot.staff.timefmt import tokyo_day, tokyo_midnight

FALLBACK = "nlu_fallback"
PERIODS = {7: "直近7日", 30: "直近30日", 90: "直近90日"}
UNLABELLED_SHOWN = 50
INTENT_NAMES = {
    "ask_patent": "特許・実用新案",
    "ask_design": "意匠",
    "ask_trademark": "商標",
    "ask_copyright": "著作権",
    "ask_trade_secret": "営業秘密",
    "ask_contract": "知財契約",
    "ask_infringement": "侵害・警告状",
    "ask_program": "支援制度",
    "book_consultation": "相談予約",
    "cancel_consultation": "予約の変更・取消",
    "ask_center_info": "センター案内",
    "request_human": "担当者希望",
    "greet": "あいさつ",
    "goodbye": "終わりのあいさつ",
    "thank": "お礼",
    "affirm": "はい",
    "deny": "いいえ",
    "bot_challenge": "ボットの確認",
    "out_of_scope": "対象外の質問",
    "inform": "フォームへの回答",
    FALLBACK: "理解できず",
}
# Intents a staff member can give a message; ``inform`` only makes sense inside a form.
NOT_LABELLABLE = {"inform"}
NOT_USABLE = "none"  # the choice for a message that should not become training data


def intent_label(intent: str) -> str:
    return f"{INTENT_NAMES[intent]} ({intent})" if intent in INTENT_NAMES else intent


@lru_cache
def domain_intents() -> tuple[str, ...]:
    """The intents of the assistant's domain, in its order."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
    return tuple(str(i) for i in domain.get("intents", []))


def labellable_intents() -> list[str]:
    return [i for i in domain_intents() if i not in NOT_LABELLABLE]


@dataclass(frozen=True)
class Figures:
    days: list[date]
    conversations: list[int]
    messages: list[int]
    fallback_rate: list[float | None]  # percent of messages with an intent, per day (None: none)
    intents: list[tuple[str, int]]
    escalations: list[tuple[str, int]]
    bookings: list[int]
    totals: dict[str, float]


def period(days: int, today: date) -> tuple[list[date], datetime]:
    first = today - timedelta(days=days - 1)
    return [first + timedelta(days=n) for n in range(days)], tokyo_midnight(first)


def figures(session: Session, days: int, today: date) -> Figures:
    """The dashboard's figures for the ``days`` days ending ``today`` (Japan time)."""
    day_list, since = period(days, today)
    rows = session.execute(
        select(Message.created_at, Message.conversation_id, Message.intent).where(
            Message.direction == "visitor", Message.created_at >= since
        )
    ).all()
    conversations: dict[date, set[int]] = defaultdict(set)
    messages: Counter[date] = Counter()
    understood: Counter[date] = Counter()
    fallback: Counter[date] = Counter()
    intents: Counter[str] = Counter()
    for created_at, conversation_id, intent in rows:
        day = tokyo_day(created_at)
        conversations[day].add(conversation_id)
        messages[day] += 1
        if intent:
            intents[intent] += 1
            understood[day] += 1
            fallback[day] += intent == FALLBACK
    reasons = Counter(session.scalars(select(Escalation.reason).where(Escalation.created_at >= since)))
    booked = Counter(
        tokyo_day(c) for c in session.scalars(select(Booking.created_at).where(Booking.created_at >= since))
    )
    classified = sum(understood.values())
    return Figures(
        days=day_list,
        conversations=[len(conversations[d]) for d in day_list],
        messages=[messages[d] for d in day_list],
        fallback_rate=[100 * fallback[d] / understood[d] if understood[d] else None for d in day_list],
        intents=[(intent_label(i), n) for i, n in intents.most_common()],
        escalations=[
            (REASONS.get(r, r), reasons[r]) for r in (*REASONS, *sorted(set(reasons) - set(REASONS)))
        ],
        bookings=[booked[d] for d in day_list],
        totals={
            "conversations": len({c for ids in conversations.values() for c in ids}),
            "messages": sum(messages.values()),
            "fallback_rate": 100 * sum(fallback.values()) / classified if classified else 0,
            "escalations": sum(reasons.values()),
            "bookings": sum(booked.values()),
        },
    )


def not_understood(session: Session, limit: int = UNLABELLED_SHOWN) -> list[Message]:
    """Visitor messages the bot did not understand that no one has labelled yet, newest first."""
    labelled = select(NluLabel.message_id).where(NluLabel.message_id.is_not(None))
    return list(
        session.scalars(
            select(Message)
            .where(
                Message.direction == "visitor",
                Message.intent == FALLBACK,
                Message.text != PURGED_TEXT,
                Message.id.not_in(labelled),
            )
            .order_by(Message.id.desc())
            .limit(limit)
        )
    )


def label(session: Session, message_id: int, intent: str, actor: str) -> None:
    """Give a message its right intent (``NOT_USABLE``: kept out of the training data)."""
    if intent != NOT_USABLE and intent not in labellable_intents():
        raise ValueError(intent)
    message = session.get(Message, message_id)
    if message is None or message.direction != "visitor" or message.text == PURGED_TEXT:
        raise LookupError(message_id)
    row = session.scalar(select(NluLabel).where(NluLabel.message_id == message_id))
    if row is None:
        row = NluLabel(message_id=message_id, text=training_text(message.text), labelled_by=actor)
        session.add(row)
    row.intent, row.labelled_by = (None if intent == NOT_USABLE else intent), actor


def training_text(text: str) -> str:
    """The message as a training example: normalised, one line, phone numbers and e-mail masked."""
    return " ".join(mask_pii(text).split())


def labels(session: Session) -> list[NluLabel]:
    return list(session.scalars(select(NluLabel).order_by(NluLabel.labelled_at.desc(), NluLabel.id.desc())))


def delete_label(session: Session, label_id: int) -> None:
    row = session.get(NluLabel, label_id)
    if row is None:
        raise LookupError(label_id)
    session.delete(row)


def training_data(session: Session) -> str:
    """The labelled examples as Rasa NLU training data (``version: "3.1"``), one block per intent."""
    examples: dict[str, list[str]] = defaultdict(list)
    for row in session.scalars(select(NluLabel).where(NluLabel.intent.is_not(None)).order_by(NluLabel.id)):
        intent = row.intent or ""
        if row.text not in examples[intent]:
            examples[intent].append(row.text)
    lines = [
        "# Examples labelled by staff in the dashboard (phone numbers and e-mail addresses masked).",
        "# Review them, then add them to data/nlu/ and retrain.",
        'version: "3.1"',
        "nlu:",
    ]
    order = {name: n for n, name in enumerate(domain_intents())}
    for intent in sorted(examples, key=lambda i: (order.get(i, len(order)), i)):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in examples[intent]]
    if not examples:
        lines[-1] = "nlu: []"
    return "\n".join(lines) + "\n"
