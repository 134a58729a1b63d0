"""Contact details as visitors type them: Japanese phone numbers and e-mail addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.text.normalize import normalize

_EMAIL_LIKE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+")
_PHONE_LIKE = re.compile(r"\+?[\d(][\d()\- ]{8,}\d")


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


def without_contacts(text: str, replacement: str = " ") -> str:
    """``text`` with what looks like an e-mail address or a phone number replaced."""
    return _PHONE_LIKE.sub(replacement, _EMAIL_LIKE.sub(replacement, text))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def parse_phone(text: str) -> str | None:
    """A valid Japanese phone number in ``text``, in national format, or ``None``."""
    match = _PHONE_LIKE.search(normalize(text))
    if not match:
        return None
    try:
        number = phonenumbers.parse(match.group(0), "JP")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def parse_email(text: str) -> str | None:
    """A syntactically valid e-mail address in ``text``, normalised, or ``None``."""
    match = _EMAIL_LIKE.search(normalize(text))
    if not match:
        return None
    try:
        return validate_email(match.group(0).strip("。、.,"), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def masked_contact(text: str) -> str:
    """A contact answer as it may be shown back; text that holds no contact is shown as it is."""
    contact = parse_contact(text)
    return contact.masked() if contact else text


def parse_contact(text: str) -> Contact | None:
    """The phone number and/or e-mail address in ``text``, or ``None`` when neither is valid."""
    contact = Contact(phone=parse_phone(text), email=parse_email(text))
    return contact if contact.phone or contact.email else None
