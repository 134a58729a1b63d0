"""The events catalogue staff fill: checking what they enter, the upcoming events, and how the
bot lists them (when it is empty the bot says no schedule is known here: bot/services/answers.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conversation.messages import BotMessage, Button, bot_message
from bot.events.models import Event

FORMATS = {"venue": "会場", "online": "オンライン", "hybrid": "会場・オンライン"}
WEEKDAYS = "月火水木金土日"
MAX_SHOWN = 5
LIMITS = {"title": 200, "time_text": 60, "how_to_apply": 1000, "source_url": 500}
INTRO = "当センターの担当者が登録した、今後のセミナー・講座です。詳しい内容とお申し込みは、各案内ページでご確認ください。"


def validate(form: dict[str, str]) -> tuple[dict[str, object], dict[str, str]]:
    """The event's values from a staff form, and what is wrong with them (by field)."""
    values: dict[str, object] = {k: form.get(k, "").strip() for k in ("title", "time_text", "how_to_apply")}
    values["format"], values["source_url"] = form.get("format", ""), form.get("source_url", "").strip()
    errors = {
        k: f"{limit}文字以内で入力してください。"
        for k, limit in LIMITS.items()
        if len(str(values[k])) > limit
    }
    for field in ("title", "how_to_apply"):
        if not values[field]:
            errors[field] = "入力してください。"
    try:
        values["held_on"] = date.fromisoformat(form.get("held_on", ""))
    except ValueError:
        errors["held_on"] = "開催日を選んでください。"
    if values["format"] not in FORMATS:
        errors["format"] = "開催形式を選んでください。"
    if not str(values["source_url"]).startswith(("https://", "http://")):
        errors["source_url"] = "案内ページのアドレス(https://〜)を入力してください。"
    values["time_text"] = values["time_text"] or None
    return values, errors


def add(session: Session, values: dict[str, object], actor: str) -> Event:
    event = Event(**values, updated_by=actor)
    session.add(event)
    session.flush()
    return event


def remove(session: Session, event_id: int) -> None:
    event = session.get(Event, event_id)
    if event is None:
        raise LookupError(event_id)
    session.delete(event)


def upcoming(session: Session, today: date, limit: int | None = MAX_SHOWN) -> list[Event]:
    """Events on ``today`` or later, soonest first."""
    query = select(Event).where(Event.held_on >= today).order_by(Event.held_on, Event.id)
    return list(session.scalars(query.limit(limit) if limit else query))


def when(event: Event) -> str:
    """「2027年1月20日(水) 14:00〜16:00」."""
    day = event.held_on
    text = f"{day.year}年{day.month}月{day.day}日({WEEKDAYS[day.weekday()]})"
    return f"{text} {event.time_text}" if event.time_text else text


def events_message(events: list[Event], more: list[Button]) -> BotMessage:
    """The upcoming events, each with its date, format, how to apply and its page."""
    lines = [INTRO]
    for event in events:
        lines.append(f"・{when(event)} {event.title}({FORMATS[event.format]})")
        lines.append(f"  申込み: {event.how_to_apply}")
        lines.append(f"  案内: {event.source_url}")
    return bot_message("\n".join(lines), more)
