"""What staff read of visitors' feedback: the helpful share (正答率) per topic, per answer and per
day, the least helpful answers, and the questions no entry answered (masked)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.logging import mask_pii
from bot.faq import store as knowledge
from bot.feedback.models import AnswerFeedback
from bot.feedback.service import REASONS
from bot.models import PURGED_TEXT, Message
from bot.staff.timefmt import tokyo_day

TOPIC_NAMES = {
    "patent": "特許・実用新案",
    "design": "意匠",
    "trademark": "商標",
    "copyright": "著作権",
    "trade_secret": "営業秘密",
    "contract": "知財契約",
    "infringement": "侵害・警告状",
    "center": "センター案内",
    "program": "支援制度",
}
LEAST_SHOWN, UNANSWERED_SHOWN = 10, 30


@dataclass(frozen=True)
class AnswerFigures:
    answer_id: str
    title: str
    helpful: int
    not_helpful: int
    reasons: dict[str, int]

    @property
    def share(self) -> float:
        return 100 * self.helpful / (self.helpful + self.not_helpful)


@dataclass(frozen=True)
class FeedbackFigures:
    topics: list[tuple[str, float, int]]  # topic name, helpful share (%), verdicts
    daily_share: list[float | None]  # per day of the period; None: no verdict that day
    least_helpful: list[AnswerFigures]
    total: int
    share: float | None


def _titles(session: Session) -> dict[str, str]:
    return {f"faq:{e.id}": e.title for e in knowledge.current(session)}


def figures(session: Session, days: list[date], since: datetime) -> FeedbackFigures:
    """The feedback figures of the period starting ``since`` (Japan-time ``days``)."""
    rows = session.scalars(select(AnswerFeedback).where(AnswerFeedback.created_at >= since)).all()
    by_topic: dict[str, Counter[bool]] = defaultdict(Counter)
    by_day: dict[date, Counter[bool]] = defaultdict(Counter)
    by_answer: dict[str, Counter[bool]] = defaultdict(Counter)
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        by_topic[row.topic][row.helpful] += 1
        by_day[tokyo_day(row.created_at)][row.helpful] += 1
        by_answer[row.answer_id][row.helpful] += 1
        if row.reason:
            reasons[row.answer_id][row.reason] += 1
    titles = _titles(session)
    answers = [
        AnswerFigures(
            answer_id,
            titles.get(answer_id, answer_id.removeprefix("program:")),
            counts[True],
            counts[False],
            {REASONS.get(r, r): n for r, n in reasons[answer_id].most_common()},
        )
        for answer_id, counts in by_answer.items()
    ]
    helpful = sum(row.helpful for row in rows)
    return FeedbackFigures(
        topics=[
            (TOPIC_NAMES.get(t, t), 100 * c[True] / c.total(), c.total())
            for t, c in sorted(by_topic.items(), key=lambda item: -item[1].total())
        ],
        daily_share=[100 * by_day[d][True] / by_day[d].total() if by_day[d].total() else None for d in days],
        least_helpful=sorted((a for a in answers if a.not_helpful), key=lambda a: (a.share, -a.not_helpful))[
            :LEAST_SHOWN
        ],
        total=len(rows),
        share=100 * helpful / len(rows) if rows else None,
    )


def unanswered(
    session: Session, since: datetime, replies: tuple[str, ...], limit: int = UNANSWERED_SHOWN
) -> list[Message]:
    """The latest visitor messages of the period that got one of ``replies`` (no entry answered
    them), contact details masked; purged texts left out."""
    answered_none = select(Message.conversation_id, Message.id).where(
        Message.direction == "bot", Message.text.in_(replies), Message.created_at >= since
    )
    found = []
    for conversation_id, bot_id in session.execute(answered_none.order_by(Message.id.desc()).limit(limit)):
        question = session.scalar(
            select(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.direction == "visitor",
                Message.id < bot_id,
            )
            .order_by(Message.id.desc())
            .limit(1)
        )
        if question is not None and question.text != PURGED_TEXT:
            session.expunge(question)
            question.text = mask_pii(question.text)
            found.append(question)
    return found
