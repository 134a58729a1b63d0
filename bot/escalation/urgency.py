"""Spot urgent matters in a visitor's words: a warning letter, a lawsuit, customs, close deadlines."""

from __future__ import annotations

import re

from bot.text.normalize import normalize

_URGENT_PATTERNS = (
    r"警告(状|書|文)",
    r"内容証明",
    r"訴状",
    r"訴え(られ|る)",
    r"提訴",
    r"裁判",
    r"差(し)?止め?",
    r"税関",
    r"(期限|締め?切り?|回答期限|返答期限).{0,12}(今日|明日|あした|明後日|あさって|今週|\d+日(後|以内|まで))",
    r"(今日|明日|あした|明後日|あさって|今週中?|\d+日(後|以内))まで(に)?(回答|返答|返事|連絡)",
    r"(模倣品|偽物|偽造品|コピー品|海賊版|パクリ商品).{0,15}(売|販売|出回|出品)",
)
_URGENT = re.compile("|".join(f"(?:{p})" for p in _URGENT_PATTERNS))


def urgent_reason(text: str) -> str | None:
    """The phrase that makes ``text`` urgent, or ``None``."""
    match = _URGENT.search(normalize(text))
    return match.group(0) if match else None
