"""Escalations as staff work them: the filtered list, the full transcript, and each step
(assign, note, start, close) recorded in the escalation's history."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from bot.escalation.models import PRIORITIES, REASONS, STATUSES, Escalation, EscalationEvent, record_step
from bot.escalation.service import close_escalation
from bot.models import PURGED_TEXT, Conversation, Message
from bot.staff.models import StaffUser
from bot.staff.timefmt import tokyo_midnight

PAGE_SIZE = 50
CHANNELS = {"web": "Webチャット", "line": "LINE"}
STATUS_FILTERS = {"active": "未完了(未対応・対応中)", **STATUSES, "all": "すべて"}
ACTIONS = {
    "opened": "受付",
    "raised": "緊急度を上げた",
    "contact_given": "連絡先を受け取った",
    "contact_declined": "連絡先の提供を辞退",
    "restarted": "来訪者がチャットボットに戻った",
    "queued": "チャットで担当者を待機",
    "replied": "チャットで返信",
    "handed_back": "チャットボットに戻した",
    "live_ended": "対応時間外になりチャットボットに戻った",
    "contact_changed": "来訪者が連絡先を変更",
    "assigned": "担当者を設定",
    "note": "メモ",
    "started": "対応開始",
    "closed": "完了",
}
ACTORS = {"bot": "チャットボット", "visitor": "来訪者"}
MAX_NOTE_CHARS = 4000


class EscalationError(Exception):
    """A step staff asked for that the escalation's state does not allow (message in Japanese)."""


@dataclass(frozen=True)
class Filters:
    status: str = "active"
    priority: str = ""
    reason: str = ""
    channel: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    assigned: str = ""  # a staff member's e-mail, or "none" for nobody
    page: int = 1

    @classmethod
    def parse(cls, params: dict[str, str], me: str = "") -> Filters:
        """Filters from query parameters; unknown values are ignored rather than refused.

        ``assigned=me`` stands for ``me``, the signed-in staff member's e-mail.
        """

        def pick(name: str, allowed: dict[str, str], default: str = "") -> str:
            value = params.get(name, default)
            return value if value in allowed else default

        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(params.get(name, ""))
            except ValueError:
                return None

        def assignee() -> str:
            value = params.get("assigned", "")
            if value == "me":
                return me
            return value if value == "none" or ("@" in value and len(value) <= 254) else ""

        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        return cls(
            status=pick("status", STATUS_FILTERS, "active"),
            priority=pick("priority", PRIORITIES),
            reason=pick("reason", REASONS),
            channel=pick("channel", CHANNELS),
            date_from=day("date_from"),
            date_to=day("date_to"),
            q=params.get("q", "").strip()[:100],
            assigned=assignee(),
            page=page,
        )


def _query(filters: Filters):
    query = select(Escalation)
    if filters.status == "active":
        query = query.where(Escalation.status != "closed")
    elif filters.status in STATUSES:
        query = query.where(Escalation.status == filters.status)
    for column, value in (
        (Escalation.priority, filters.priority),
        (Escalation.reason, filters.reason),
        (Escalation.channel, filters.channel),
    ):
        if value:
            query = query.where(column == value)
    if filters.assigned == "none":
        query = query.where(Escalation.assigned_to.is_(None))
    elif filters.assigned:
        query = query.where(Escalation.assigned_to == filters.assigned)
    if filters.date_from:
        query = query.where(Escalation.created_at >= tokyo_midnight(filters.date_from))
    if filters.date_to:
        query = query.where(Escalation.created_at < tokyo_midnight(filters.date_to + timedelta(days=1)))
    if filters.q:
        said = (
            select(Conversation.sender_id)
            .join(Message, Message.conversation_id == Conversation.id)
            .where(Message.text.icontains(filters.q, autoescape=True))
        )
        query = query.where(
            or_(
                *(
                    column.icontains(filters.q, autoescape=True)
                    for column in (
                        Escalation.trigger_text,
                        Escalation.contact_name,
                        Escalation.contact_phone,
                        Escalation.contact_email,
                        Escalation.sender_id,
                        Escalation.assigned_to,
                    )
                ),
                Escalation.sender_id.in_(said),
            )
        )
    return query


def list_escalations(session: Session, filters: Filters) -> tuple[list[Escalation], int]:
    """One page of matching escalations, unfinished first, urgent first, newest first; and the total."""
    query = _query(filters)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = (
        case((Escalation.status == "closed", 1), else_=0),
        case((Escalation.priority == "high", 0), else_=1),
        Escalation.created_at.desc(),
        Escalation.id.desc(),
    )
    rows = session.scalars(query.order_by(*order).offset((filters.page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return list(rows), total


def open_counts(session: Session) -> dict[str, int]:
    """How many escalations are waiting, in progress, and urgent among the unfinished."""
    rows = session.execute(
        select(Escalation.status, Escalation.priority, func.count())
        .where(Escalation.status != "closed")
        .group_by(Escalation.status, Escalation.priority)
    )
    counts = {"open": 0, "in_progress": 0, "urgent": 0}
    for status, priority, count in rows:
        counts[status] = counts.get(status, 0) + count
        if priority == "high":
            counts["urgent"] += count
    return counts


def list_version(session: Session) -> str:
    """Changes whenever an escalation is filed or changes: the list page reloads itself on it."""
    count, newest, changed = session.execute(
        select(func.count(), func.max(Escalation.id), func.max(Escalation.updated_at))
    ).one()
    return f"{count}-{newest}-{changed}"


def detail_version(session: Session, escalation: Escalation) -> str:
    """Changes with a new message of the conversation or a new step of the escalation."""
    said = session.scalar(
        select(func.max(Message.id))
        .join(Conversation, Message.conversation_id == Conversation.id)
        .where(Conversation.sender_id == escalation.sender_id)
    )
    step = session.scalar(
        select(func.max(EscalationEvent.id)).where(EscalationEvent.escalation_id == escalation.id)
    )
    return f"{said}-{step}-{escalation.updated_at}"


@dataclass(frozen=True)
class Turn:
    """One line of the transcript as staff read it."""

    direction: str
    text: str
    created_at: datetime
    buttons: list[dict[str, str]] = field(default_factory=list)
    pressed: str | None = None  # the title of the button this visitor turn pressed
    intent: str | None = None
    confidence: float | None = None
    purged: bool = False
    author: str | None = None  # the staff member who wrote it


def transcript(session: Session, sender_id: str) -> list[Turn]:
    """Every visitor and bot turn of the conversation, oldest first, with the buttons pressed."""
    conversation = session.scalar(select(Conversation).where(Conversation.sender_id == sender_id))
    if conversation is None:
        return []
    messages = session.scalars(
        select(Message).where(Message.conversation_id == conversation.id).order_by(Message.id)
    )
    turns: list[Turn] = []
    offered: dict[str, str] = {}  # payload → title of the buttons of the bot's last replies
    for message in messages:
        buttons = json.loads(message.buttons) if message.buttons else []
        pressed = None
        if message.direction == "bot":
            if turns and turns[-1].direction != "bot":
                offered = {}
            offered.update({b.get("payload", ""): b.get("title", "") for b in buttons})
        else:
            pressed = offered.get(message.text)
        turns.append(
            Turn(
                direction=message.direction,
                text=message.text,
                created_at=message.created_at,
                buttons=buttons,
                pressed=pressed,
                intent=message.intent,
                confidence=message.confidence,
                purged=message.text == PURGED_TEXT,
                author=message.author,
            )
        )
    return turns


def history(session: Session, escalation_id: int) -> list[EscalationEvent]:
    return list(
        session.scalars(
            select(EscalationEvent)
            .where(EscalationEvent.escalation_id == escalation_id)
            .order_by(EscalationEvent.created_at, EscalationEvent.id)
        )
    )


def staff_names(session: Session) -> dict[str, str]:
    """E-mail → display name of every staff account (to show who did what)."""
    return {u.email: u.display_name for u in session.scalars(select(StaffUser))}


def actor_label(actor: str, names: dict[str, str]) -> str:
    return ACTORS.get(actor) or names.get(actor) or actor


def get_escalation(session: Session, escalation_id: int) -> Escalation:
    """The escalation, or LookupError (a 404 for the staff pages)."""
    escalation = session.get(Escalation, escalation_id)
    if escalation is None:
        raise LookupError(escalation_id)
    return escalation


def assign(session: Session, escalation_id: int, assignee: str, actor: str) -> None:
    """Give the escalation to an active staff member ("" = nobody)."""
    escalation = get_escalation(session, escalation_id)
    assignable = active_staff(session)
    if assignee and assignee not in assignable:
        raise EscalationError("担当者を一覧から選んでください。")
    escalation.assigned_to = assignee or None
    record_step(session, escalation, actor, "assigned", assignable.get(assignee, "(担当者なし)"))


def add_note(session: Session, escalation_id: int, note: str, actor: str) -> None:
    note = note.strip()
    if not note:
        raise EscalationError("メモを入力してください。")
    if len(note) > MAX_NOTE_CHARS:
        raise EscalationError(f"メモは{MAX_NOTE_CHARS}文字以内にしてください。")
    record_step(session, get_escalation(session, escalation_id), actor, "note", note)


def start(session: Session, escalation_id: int, actor: str) -> None:
    """open → in_progress (taken by ``actor`` when nobody is assigned yet)."""
    escalation = get_escalation(session, escalation_id)
    if escalation.status != "open":
        raise EscalationError("未対応のエスカレーションだけを対応中にできます。")
    escalation.status = "in_progress"
    if not escalation.assigned_to:
        escalation.assigned_to = actor
    record_step(session, escalation, actor, "started")


def close(session: Session, escalation_id: int, resolution: str, actor: str) -> None:
    """→ closed with a resolution note; the bot answers the visitor again."""
    escalation = get_escalation(session, escalation_id)
    resolution = resolution.strip()
    if escalation.status == "closed":
        raise EscalationError("このエスカレーションはすでに完了しています。")
    if not resolution:
        raise EscalationError("対応結果を入力してください。")
    if len(resolution) > MAX_NOTE_CHARS:
        raise EscalationError(f"対応結果は{MAX_NOTE_CHARS}文字以内にしてください。")
    close_escalation(session, escalation, actor, resolution)


def active_staff(session: Session) -> dict[str, str]:
    """E-mail → name of the staff members work can be assigned to."""
    rows = session.scalars(select(StaffUser).where(StaffUser.active).order_by(StaffUser.display_name))
    return {u.email: u.display_name for u in rows}
