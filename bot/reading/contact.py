"""Contact details as visitors type them: the one detector of Japanese phone numbers and e-mail
addresses, and the placeholders that stand for them everywhere but the records that need them.

A phone number is what ``phonenumbers`` finds valid for Japan in the normalised text (any dash,
spaces, full-width digits, +81), never an application or registration number (特願・特許第・意願・
商願・登録第…), a booking number (CZ-…) or a date. An e-mail address is what ``email-validator``
accepts (＠ is normalised to @).

The gateway replaces each contact in a visitor's text by ``PHONE`` or ``EMAIL`` before the text
is recorded or sent to Rasa, and keeps the values for the conversation (bot/privacy/held.py).
While an action runs, ``holding`` makes those values resolvable, so ``parse_contact`` reads a
placeholder as the contact it stands for; every other reader sees only the placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.text.normalize import normalize

Kind = Literal["phone", "email"]
PHONE, EMAIL = "[電話番号]", "[メールアドレス]"
_MARKS: dict[Kind, str] = {"phone": PHONE, "email": EMAIL}
_EMAIL_LIKE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# Numbers that look like phone numbers but name an application, a registration or a booking.
_NOT_A_PHONE_BEFORE = re.compile(
    r"(特願|実願|意願|商願|国際出願|出願番号|登録番号|特許第|実用新案登録第|意匠登録第|商標登録第|登録第|第|No\.?)\s*$|CZ[-\s]?$",
    re.I,
)


@dataclass(frozen=True)
class Found:
    """One contact in a normalised text: its kind, its value (``03-1234-5678``, ``a@example.jp``)
    and where it was typed."""

    kind: Kind
    value: str
    start: int
    end: int


def _phones(text: str) -> Iterator[Found]:
    for match in phonenumbers.PhoneNumberMatcher(text, "JP", leniency=phonenumbers.Leniency.VALID):
        if _NOT_A_PHONE_BEFORE.search(text[: match.start]):
            continue
        value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.NATIONAL)
        yield Found("phone", value, match.start, match.end)


def _emails(text: str) -> Iterator[Found]:
    for match in _EMAIL_LIKE.finditer(text):
        typed = match.group(0).rstrip(".")
        try:
            value = validate_email(typed, check_deliverability=False).normalized
        except EmailNotValidError:
            continue
        yield Found("email", value, match.start(), match.start() + len(typed))


def find_contacts(text: str) -> list[Found]:
    """The phone numbers and e-mail addresses in ``text`` (normalised first), in typed order."""
    text = normalize(text)
    emails = list(_emails(text))
    phones = [p for p in _phones(text) if not any(e.start <= p.start < e.end for e in emails)]
    return sorted(emails + phones, key=lambda found: found.start)


@dataclass(frozen=True)
class Redacted:
    """A text with its contacts replaced by placeholders, and the values they stand for."""

    text: str
    found: tuple[Found, ...]


def redact(text: str) -> Redacted:
    """``text`` normalised, each contact replaced by ``PHONE`` or ``EMAIL``."""
    text = normalize(text)
    found = find_contacts(text)
    pieces, at = [], 0
    for contact in found:
        pieces += [text[at : contact.start], _MARKS[contact.kind]]
        at = contact.end
    return Redacted("".join([*pieces, text[at:]]), tuple(found))


def without_contacts(text: str, replacement: str = " ") -> str:
    """``text`` with its contacts, and the placeholders that stand for them, replaced."""
    shown = redact(text).text
    return shown.replace(PHONE, replacement).replace(EMAIL, replacement)


_held: ContextVar[tuple[tuple[Kind, str], ...]] = ContextVar("held_contacts", default=())


@contextmanager
def holding(values: Sequence[tuple[Kind, str]]) -> Iterator[None]:
    """Within the block, the placeholders of a text stand for ``values`` (kind and value, in the
    order they were typed): the n-th ``PHONE`` is the n-th phone number."""
    token = _held.set(tuple(values))
    try:
        yield
    finally:
        _held.reset(token)


def _resolved(text: str) -> str:
    """``text`` with each placeholder replaced by the value it stands for, when one is held."""
    held = _held.get()
    for kind, mark in _MARKS.items():
        for value in (v for k, v in held if k == kind):
            text = text.replace(mark, f" {value} ", 1)
    return text


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@dataclass(frozen=True)
class Contact:
    """A normalised phone number (``03-1234-5678``) and/or e-mail address."""

    phone: str | None = None
    email: str | None = None

    def __str__(self) -> str:
        """Both parts as one answer («090-1234-5678 / a@example.jp»), which ``parse_contact`` reads back."""
        return " / ".join(v for v in (self.phone, self.email) if v)

    def masked(self) -> str:
        """Both parts as they may be shown back (「電話 末尾5678 / y***@example.jp」)."""
        shown = []
        if self.phone:
            shown.append(f"電話 末尾{_digits(self.phone)[-4:]}")
        if self.email:
            local, _, domain = self.email.partition("@")
            shown.append(f"{local[:1]}***@{domain}")
        return " / ".join(shown)


def parse_contact(text: str) -> Contact | None:
    """The first phone number and/or e-mail address in ``text`` (placeholders resolved while
    ``holding``), or ``None`` when there is neither."""
    found = find_contacts(_resolved(text))
    phone = next((f.value for f in found if f.kind == "phone"), None)
    email = next((f.value for f in found if f.kind == "email"), None)
    return Contact(phone, email) if phone or email else None


def masked_contact(text: str) -> str:
    """A contact answer as it may be shown back; text that holds no contact is shown as it is."""
    contact = parse_contact(text)
    return contact.masked() if contact else text


def mask_contacts(text: str) -> str:
    """``text`` with every contact shown masked (for logs and exports): the placeholders."""
    return redact(text).text
