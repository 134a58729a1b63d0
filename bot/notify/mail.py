"""E-mail to visitors through the center's SMTP server (``CHIZAI_SMTP_HOST``; unset = none sent).

A domain function queues a mail in its own transaction (``queue``), so a mail goes out only for
what was really done; the gateway's sender (``send_pending``, every few seconds) delivers it and
deletes it, retrying a failure a few times. Nothing is queued when no SMTP server is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
from collections.abc import AsyncIterator
from datetime import timedelta
from email.message import EmailMessage
from functools import partial

from anyio import to_thread
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.core.clock import utcnow
from bot.core.config import Settings, get_settings
from bot.core.db import rows_changed, with_retries
from bot.notify.models import OutgoingMail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
KEPT = timedelta(days=1)


def queue(session: Session, to_address: str | None, subject: str, body: str) -> bool:
    """Queue a mail to ``to_address``; whether one was queued (an address and a server needed)."""
    if not to_address or not get_settings().smtp_host:
        return False
    session.add(OutgoingMail(to_address=to_address, subject=subject, body=body))
    return True


def deliver(settings: Settings, to_address: str, subject: str, body: str) -> None:
    """Send one mail now through the SMTP server (raises ``OSError`` or ``SMTPException``)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.smtp_from, to_address, subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host or "", settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user and settings.smtp_password:
            smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


def send_pending() -> int:
    """Send the queued mails once; returns how many went."""
    settings = get_settings()
    pending = with_retries(
        lambda s: list(s.scalars(select(OutgoingMail).order_by(OutgoingMail.id).limit(20)))
    )
    sent = 0
    for mail in pending:
        try:
            deliver(settings, mail.to_address, mail.subject, mail.body)
        except (OSError, smtplib.SMTPException):
            logger.warning(
                "mail %s could not be sent (attempt %d)", mail.id, mail.attempts + 1, exc_info=True
            )
            with_retries(partial(_failed, mail_id=mail.id))
            continue
        with_retries(partial(_sent, mail_id=mail.id))
        sent += 1
    return sent


def _sent(session: Session, mail_id: int) -> None:
    session.execute(delete(OutgoingMail).where(OutgoingMail.id == mail_id))


def _failed(session: Session, mail_id: int) -> None:
    mail = session.get(OutgoingMail, mail_id)
    if mail is None:
        return
    mail.attempts += 1
    if mail.attempts >= MAX_ATTEMPTS:
        logger.error("mail %s dropped after %d attempts", mail_id, mail.attempts)
        session.delete(mail)


def forget_stale(session: Session) -> int:
    """Mail that could not go out within a day is deleted (it holds a visitor's address)."""
    return rows_changed(
        session.execute(delete(OutgoingMail).where(OutgoingMail.created_at < utcnow() - KEPT))
    )


@contextlib.asynccontextmanager
async def sending(interval_seconds: float = 5.0) -> AsyncIterator[None]:
    """Deliver queued mail while the gateway runs (nothing to do without an SMTP server)."""
    if not get_settings().smtp_host:
        yield
        return

    async def loop() -> None:
        while True:
            try:
                await to_thread.run_sync(send_pending)
            except Exception:
                logger.exception("mail: the sender failed; it runs again")
            await asyncio.sleep(interval_seconds)

    task = asyncio.create_task(loop(), name="mail-sender")
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
