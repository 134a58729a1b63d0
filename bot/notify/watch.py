"""The operators' watch: ``python -m bot watch`` reads ``/healthz`` every few seconds and e-mails
``CHIZAI_OPERATOR_MAIL_TO`` when a component has been down for a minute, and again when it is back.

A process of its own, so that it also sees the gateway itself down; it sends straight through the
SMTP server (the gateway's mail queue lives in the database, which may be what is down).
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass, field

import httpx

from bot.core.config import get_settings
from bot.notify.mail import deliver

logger = logging.getLogger(__name__)
GATEWAY = "gateway"


@dataclass(frozen=True)
class Alert:
    component: str
    down: bool  # False: it is back
    seconds: float  # how long it has been (or was) down

    @property
    def subject(self) -> str:
        happened = "が停止しています" if self.down else "が復旧しました"
        return f"[chizai-bot] {self.component} {happened}"

    @property
    def body(self) -> str:
        minutes = f"{self.seconds / 60:.1f} 分"
        if self.down:
            return f"{self.component} が {minutes} 前から応答しません。/healthz とログ (var/log/) を確認してください。\n"
        return f"{self.component} は応答を再開しました（停止していた時間: {minutes}）。\n"


@dataclass
class Watch:
    """Which components are down since when, and which of them the operators were told about."""

    after_seconds: float = 60.0
    down_since: dict[str, float] = field(default_factory=dict)
    told: set[str] = field(default_factory=set)

    def observe(self, components: dict[str, str], now: float) -> list[Alert]:
        """The alerts this reading of ``/healthz`` calls for."""
        alerts = []
        for name, state in components.items():
            if state != "ok":
                since = self.down_since.setdefault(name, now)
                if name not in self.told and now - since >= self.after_seconds:
                    self.told.add(name)
                    alerts.append(Alert(name, True, now - since))
            elif name in self.down_since:
                since = self.down_since.pop(name)
                if name in self.told:
                    self.told.discard(name)
                    alerts.append(Alert(name, False, now - since))
        return alerts


def read_health(url: str) -> dict[str, str]:
    """The components ``/healthz`` reports; the gateway alone as down when it does not answer."""
    try:
        answer = httpx.get(f"{url.rstrip('/')}/healthz", timeout=5)
        components = answer.json()["components"]
    except (httpx.HTTPError, ValueError, KeyError):
        return {GATEWAY: "down"}
    return {GATEWAY: "ok", **components}


def tell(alert: Alert) -> None:
    """E-mail the operators (logged, never raised: the watch goes on)."""
    settings = get_settings()
    logger.warning("watch: %s", alert.subject)
    if not (settings.operator_mail_to and settings.smtp_host):
        return
    try:
        deliver(settings, settings.operator_mail_to, alert.subject, alert.body)
    except (OSError, smtplib.SMTPException):
        logger.exception("watch: the alert could not be e-mailed")


def run(url: str, interval_seconds: float = 10.0, rounds: int | None = None) -> None:
    """Watch ``url`` (``rounds`` readings, or for ever)."""
    watch = Watch(after_seconds=get_settings().alert_after_seconds)
    done = 0
    while rounds is None or done < rounds:
        for alert in watch.observe(read_health(url), time.monotonic()):
            tell(alert)
        done += 1
        time.sleep(interval_seconds)
