"""Whether a program's facts are recent: the latest year its «情報の時点» names, against the
fiscal year (April to March) staff are in. Figures older than two fiscal years get a warning."""

from __future__ import annotations

import re
from datetime import date

MAX_AGE_FISCAL_YEARS = 2
_WESTERN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ERA = re.compile(r"(令和|平成)(元|\d+)(?:[〜~-](\d+))?")
_ERA_START = {"令和": 2018, "平成": 1988}  # 令和1 = 2019, 平成1 = 1989


def latest_year(as_of: str | None) -> int | None:
    """The latest year ``as_of`` names («令和5〜6年度» → 2024, «2022年度(第1回)» → 2022), or None."""
    years = [int(y) for y in _WESTERN.findall(as_of or "")]
    for era, first, last in _ERA.findall(as_of or ""):
        for number in (first, last):
            if number:
                years.append(_ERA_START[era] + (1 if number == "元" else int(number)))
    return max(years, default=None)


def fiscal_year(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def is_stale(as_of: str | None, today: date) -> bool:
    """True when the facts are older than two fiscal years, or of no known year."""
    year = latest_year(as_of)
    return year is None or fiscal_year(today) - year > MAX_AGE_FISCAL_YEARS
