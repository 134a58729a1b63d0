"""Logging that never writes a visitor's phone number or e-mail address, nor a token sent in a URL
(Rasa sends the engine's secret to the action endpoint as ``?token=``).

The whole formatted record is masked, its traceback included, with the one contact detector
(bot/reading/contact.py); database errors carry no statement parameters (bot/core/db.py), so a
failed insert does not write a visitor's name or words either.
"""

from __future__ import annotations

import logging
import re

from bot.reading.contact import mask_contacts

_URL_TOKEN = re.compile(r"([?&](?:token|key)=)[^&\s\"']+")


def mask_pii(text: str) -> str:
    """``text`` with phone numbers and e-mail addresses as placeholders and URL secrets hidden."""
    return mask_contacts(_URL_TOKEN.sub(r"\1[secret]", text))


class MaskingFormatter(logging.Formatter):
    """Formats a record, then masks everything it wrote (message, arguments, traceback)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_pii(super().format(record))


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr with PII masking on every handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
