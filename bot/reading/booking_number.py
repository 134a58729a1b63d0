"""Booking numbers as visitors type them (「cz-7k3m9p」「ＣＺ－７Ｋ３Ｍ９Ｐ」), read one way everywhere."""

from __future__ import annotations

import re
import secrets

from bot.text.normalize import normalize

PREFIX = "CZ-"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I to mistake
LENGTH = 6
# In a sentence only with its prefix (「予約番号CZ-D6KY77をキャンセル」); alone also without it.
_IN_TEXT = re.compile(rf"(?<![0-9A-Z])CZ[-\s]?([0-9A-Z]{{{LENGTH}}})(?![0-9A-Z])")
_ALONE = re.compile(rf"(?:CZ[-\s]?)?([0-9A-Z]{{{LENGTH}}})")


def random_code(prefix: str = PREFIX) -> str:
    """A code in the booking numbers' alphabet that reveals nothing (not sequential): ``CZ-7K3M9P``."""
    return prefix + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def read_booking_number(text: str) -> str | None:
    """「cz 7k3m9p」「ＣＺ－７Ｋ３Ｍ９Ｐ」「予約番号CZ-7K3M9Pを…」 → ``CZ-7K3M9P``; ``None`` when there is none."""
    upper = normalize(text).upper()
    match = _IN_TEXT.search(upper) or _ALONE.fullmatch(upper)
    return PREFIX + match.group(1) if match else None


def names_booking_number(text: str) -> bool:
    """Whether a sentence names a booking number with its prefix (a bare word of six letters is none)."""
    return bool(_IN_TEXT.search(normalize(text).upper()))
