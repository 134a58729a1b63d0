"""Fact-like tokens in text (amounts, dates, durations, phone numbers, addresses), for checking
that every figure the assistant states comes from our sources."""

from __future__ import annotations

import re

from bot.text.normalize import normalize

# Digit runs joined by - / . (phones, postal codes, dates, street numbers): compared verbatim.
_SEQUENCE = re.compile(r"\d+(?:[-/.]\d+)+")
# A number with a unit that makes it a fact (an amount, a date part, a duration, a count).
_UNITS = r"(万円|千円|円|%|パーセント|年度|年|か月|ヶ月|カ月|月|日|時|分|件|条|項|倍)"
_WITH_UNIT = re.compile(r"(\d+(?:\.\d+)?)\s*" + _UNITS)
# English unit words in the sources' notes ("5 more years", "6 months").
_ENGLISH_UNITS = {"year": "年", "years": "年", "month": "か月", "months": "か月", "days": "日", "day": "日"}
_ENGLISH = re.compile(r"(\d+)\s+(?:more\s+)?(years?|months?|days?)\b")
_SAME_UNIT = {"ヶ月": "か月", "カ月": "か月", "パーセント": "%", "年度": "年"}


def _plain(text: str) -> str:
    return re.sub(r"(?<=\d),(?=\d{3})", "", normalize(text))


def fact_tokens(text: str) -> set[str]:
    """The figures ``text`` states, in a comparable form (``20年``, ``03-3832-3656``)."""
    text = _plain(text)
    tokens = set(_SEQUENCE.findall(text))
    without_sequences = _SEQUENCE.sub(" ", text)
    for number, unit in _WITH_UNIT.findall(without_sequences):
        tokens.add(number + _SAME_UNIT.get(unit, unit))
    return tokens


def source_tokens(text: str) -> set[str]:
    """Figures available in source text, English unit words included."""
    tokens = fact_tokens(text)
    tokens.update(n + _ENGLISH_UNITS[u] for n, u in _ENGLISH.findall(_plain(text).lower()))
    return tokens
