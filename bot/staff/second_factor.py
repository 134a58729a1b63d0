"""The second factor for staff who see visitors' raw contact or manage accounts: a TOTP code
from an authenticator app (RFC 6238, ``pyotp``), or one of ten single-use recovery codes.

The first sign-in after the right is given enrols: the page shows the secret (as a QR code and as
text), a code from the app confirms it, and the recovery codes are shown once. A session stays
unverified, and every other staff page sends it to the code page, until a code is given.
``python -m bot staff-user`` (a password reset by an administrator) clears the factor.
"""

from __future__ import annotations

import hashlib
import json
import secrets

import pyotp
import segno

from bot.core.clock import utcnow
from bot.staff.models import StaffUser

ISSUER = "東京都知的財産総合センター チャット職員ページ"
RECOVERY_CODES = 10


def required(user: StaffUser) -> bool:
    """Admins and staff with the ``callbacks`` permission sign in with a second factor."""
    return user.role == "admin" or user.can_call_back


def enrolled(user: StaffUser) -> bool:
    return user.totp_secret is not None and user.totp_confirmed_at is not None


def secret_to_enrol(user: StaffUser) -> str:
    """The secret shown at enrolment (made once, kept until a code confirms it)."""
    if user.totp_secret is None or user.totp_confirmed_at is not None:
        user.totp_secret, user.totp_confirmed_at = pyotp.random_base32(), None
    return user.totp_secret


def qr_code(user: StaffUser, secret: str) -> str:
    """The secret as an ``otpauth://`` QR code, inline SVG."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#1f2933")


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def _typed(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def confirm(user: StaffUser, code: str) -> list[str] | None:
    """Enrolment: the recovery codes when ``code`` is right (show them once), else ``None``."""
    if user.totp_secret is None or not pyotp.TOTP(user.totp_secret).verify(_typed(code), valid_window=1):
        return None
    user.totp_confirmed_at = utcnow()
    codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}" for _ in range(RECOVERY_CODES)]
    user.recovery_codes = json.dumps([_digest(_typed(c)) for c in codes])
    return codes


def check(user: StaffUser, code: str) -> bool:
    """A code from the app, or an unused recovery code (then used up)."""
    typed = _typed(code)
    if user.totp_secret and typed.isdigit() and pyotp.TOTP(user.totp_secret).verify(typed, valid_window=1):
        return True
    unused = json.loads(user.recovery_codes or "[]")
    if _digest(typed) in unused:
        unused.remove(_digest(typed))
        user.recovery_codes = json.dumps(unused)
        return True
    return False


def reset(user: StaffUser) -> None:
    """Forget the factor: the next sign-in enrols again."""
    user.totp_secret = user.totp_confirmed_at = user.recovery_codes = None
