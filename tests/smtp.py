"""A real SMTP server on loopback (aiosmtpd) for the tests of e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from bot.core.config import get_settings
from scripts.system import free_port


class Inbox:
    """What the SMTP server received: (recipients, subject and body) per mail."""

    def __init__(self) -> None:
        self.mails: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.mails.append((envelope.rcpt_tos, f"{message['Subject']}\n{message.get_content()}"))
        return "250 OK"


@contextmanager
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """An SMTP server the process's settings point at, for as long as the block runs."""
    received = Inbox()
    controller = Controller(received, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setenv("CHIZAI_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CHIZAI_SMTP_PORT", str(controller.port))
    monkeypatch.setenv("CHIZAI_SMTP_STARTTLS", "false")
    get_settings.cache_clear()
    try:
        yield received
    finally:
        controller.stop()
