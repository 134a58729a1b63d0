"""Who sees a visitor's raw contact: staff with the ``callbacks`` permission and admins, each
view recorded in the audit log; everyone else sees it masked (電話 末尾5678, y***@example.jp)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.reading.contact import Contact
from bot.staff.auth import Staff
from bot.staff.models import AuditEntry

VIEWED = "contact_viewed"


@dataclass(frozen=True)
class ShownContact:
    """A contact as this staff member may see it; ``raw`` when it may be dialled or mailed."""

    phone: str | None
    email: str | None
    raw: bool


def shown_contact(
    session: Session, staff: Staff, target: str, phone: str | None, email: str | None
) -> ShownContact:
    """The contact of ``target`` (an escalation, a booking) for ``staff``; a raw view is audited."""
    if not (phone or email):
        return ShownContact(None, None, raw=staff.sees_contact)
    if staff.sees_contact:
        session.add(AuditEntry(actor=staff.email, action=VIEWED, target=target))
        return ShownContact(phone, email, raw=True)
    return ShownContact(
        Contact(phone=phone).masked() if phone else None,
        Contact(email=email).masked() if email else None,
        raw=False,
    )
