"""A program's facts are flagged to staff when older than two fiscal years."""

from datetime import date

import pytest

from bot.catalogue.freshness import is_stale, latest_year


@pytest.mark.parametrize(
    ("as_of", "year"),
    [
        ("2022年度(第1回)", 2022),
        ("令和5〜6年度", 2024),
        ("2021-10-06", 2021),
        ("令和元年度(更新日2019/08/23)", 2019),
        ("平成25年度〜令和2年度(limit as of 2013/H28)", 2020),
        ("令和7年度", 2025),
        (None, None),
        ("時点不明", None),
    ],
)
def test_the_latest_year_named_is_read_from_any_way_of_writing_it(as_of, year):
    assert latest_year(as_of) == year


def test_older_than_two_fiscal_years_is_stale_counting_from_april():
    assert not is_stale("令和6年度", date(2026, 12, 4))  # fiscal 2026: 2024 is two years old
    assert is_stale("2023年度", date(2026, 12, 4))
    assert not is_stale("2023年度", date(2026, 3, 31))  # still fiscal 2025
    assert is_stale(None, date(2026, 12, 4))
