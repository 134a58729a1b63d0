"""Logging that never writes a visitor's phone number or e-mail address, nor a token sent in a URL
(Rasa sends the engine's secret to the action endpoint as ``?token=``)."""

from __future__ import annotations

import logging
import re

from bot.text.normalize import normalize

# E-mail addresses, and Japanese phone numbers with or without separators
# (03-1234-5678, 090 1234 5678, (03)1234-5678, 03(3832)3656, +81-90-...). Runs on NFKC text,
# so full-width digits are caught too; the dashes visitors type (ー, −, ‐, ―) count as separators.
# Booking numbers (letters first) are left alone.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_DASH = "\\-‐‑‒–—―−ー"
_SEP = f"[{_DASH} ]"
_PHONE = re.compile(
    rf"(?<![A-Za-z0-9{_DASH}])(?:\+?81{_SEP}?|\(?0)\d{{0,4}}\)?{_SEP}?\(?\d{{1,4}}\)?{_SEP}?\d{{3,4}}"
    rf"(?![A-Za-z0-9{_DASH}])"
)


_URL_TOKEN = re.compile(r"([?&]token=)[^&\s\"']+")


def mask_pii(text: str) -> str:
    """Replace e-mail addresses and phone numbers in ``text`` with placeholders."""
    text = normalize(text)
    text = _EMAIL.sub("[email]", text)
    text = _URL_TOKEN.sub(r"\1[secret]", text)
    return _PHONE.sub("[phone]", text)


class PiiMaskingFilter(logging.Filter):
    """Masks the formatted message of every record that passes through."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_pii(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Log to stderr with PII masking on every handler."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(PiiMaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
