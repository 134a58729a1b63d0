"""Who is on duty in the chat, and what a visitor asking for a person can be told: a staff
member will answer here, or nobody can now (off hours, nobody on duty, no hours set)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.core.clock import TOKYO, now_tokyo, utcnow
from bot.staff.timefmt import as_utc
from bot.staffing import hours
from bot.staffing.models import OnDuty


class DutyError(Exception):
    """Going on duty outside staffed hours (message in Japanese)."""


def _until_utc(until_tokyo: datetime) -> datetime:
    return until_tokyo.replace(tzinfo=TOKYO).astimezone(UTC)


def go_on_duty(session: Session, email: str) -> datetime:
    """Mark ``email`` on duty until the end of the current staffed period; returns that end."""
    until = hours.staffed_until(session, now_tokyo())
    if until is None:
        raise DutyError(
            "いまは対応時間外のため、対応中にできません。対応時間は「対応時間」の画面で設定します。"
        )
    session.merge(OnDuty(email=email, since=utcnow(), until=_until_utc(until)))
    return until


def go_off_duty(session: Session, email: str) -> None:
    session.execute(delete(OnDuty).where(OnDuty.email == email))


def on_duty(session: Session) -> list[str]:
    """The staff on duty now (a mark lapses when its staffed period ends)."""
    now = utcnow()
    return [row.email for row in session.scalars(select(OnDuty)) if as_utc(row.until) > now]


def is_on_duty(session: Session, email: str) -> bool:
    return email in on_duty(session)


class Presence(Enum):
    LIVE = "live"  # within staffed hours, someone on duty: a person answers in the chat
    NOBODY_ON_DUTY = "nobody_on_duty"
    OFF_HOURS = "off_hours"
    NO_HOURS = "no_hours"  # no staffed hours are set: nobody ever answers in the chat


@dataclass(frozen=True)
class Availability:
    presence: Presence
    hours: str | None  # the staffed hours as a visitor reads them, when set

    @property
    def live(self) -> bool:
        return self.presence is Presence.LIVE


def availability(session: Session) -> Availability:
    """Whether a person can answer in the chat now, and the staffed hours to tell otherwise."""
    described = hours.describe(session)
    if described is None:
        return Availability(Presence.NO_HOURS, None)
    if hours.staffed_until(session, now_tokyo()) is None:
        return Availability(Presence.OFF_HOURS, described)
    presence = Presence.LIVE if on_duty(session) else Presence.NOBODY_ON_DUTY
    return Availability(presence, described)
