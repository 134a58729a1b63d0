"""Dates and times as visitors type them: 「12/3 14時」「来週の火曜の午後」「あさって」「月末」.

ja-timex finds absolute dates, weekdays and times; the everyday words it leaves out (今日・明日・
あさって, 今週・来週・再来週, 月末, 午前・午後・朝イチ, and their kana spellings) are resolved here
against today's date in Tokyo. E-mail addresses, phone and booking numbers are taken out first, so
that «d1-16@example.jp» is no 16 January. Hours 1 to 7 without 午前 are afternoon hours (the
center works by day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from ja_timex import TimexParser

from bot.text.normalize import normalize

_RELATIVE_DAYS = (("しあさって", 3), ("明々後日", 3), ("明後日", 2), ("あさって", 2), ("明日", 1),
                  ("あした", 1), ("あす", 1), ("今日", 0), ("本日", 0))  # fmt: skip
_DAYS_LATER = re.compile(r"(\d+)日後")
# Words for days gone by: such a request cannot be booked, whatever day ja-timex makes of it.
_PAST = re.compile(r"昨日|きのう|一昨日|おととい|先週|先々週|先月|去年|昨年|\d+日前")
_WEEKDAY = re.compile(r"XXXX-WXX-(\d)")
_MONTH_DAY = re.compile(r"(?:(\d{4})|XXXX)-(\d{2})-(\d{2})")
_CLOCK = re.compile(r"T(\d{2})-(\d{2}|XX)")
# A day of the month typed alone (「10日」「来月3日」), which ja-timex leaves out.
_DAY_OF_MONTH = re.compile(r"(?:(来月|今月)の?\s*|(?<![\d/月]))(\d{1,2})日(?!後|前|間)")
_AFTERNOON = ("午後", "夕方", "夜")
# Kana spellings of the words above (an elderly visitor types 「らいしゅうの かようび」), longest first.
_KANA_WORDS = (
    ("さらいしゅう", "再来週"), ("らいしゅう", "来週"), ("こんしゅう", "今週"), ("らいげつ", "来月"),
    ("げつまつ", "月末"), ("つきずえ", "月末"), ("あさいち", "朝イチ"),
    ("げつようび", "月曜"), ("かようび", "火曜"), ("すいようび", "水曜"), ("もくようび", "木曜"),
    ("きんようび", "金曜"), ("どようび", "土曜"), ("にちようび", "日曜"),
    ("ごぜん", "午前"), ("ごご", "午後"), ("ゆうがた", "夕方"), ("きょう", "今日"),
)  # fmt: skip
# Days of the month in kana («らいげつの みっか»).
_KANA_DAYS = (
    ("ついたち", 1), ("ふつか", 2), ("みっか", 3), ("よっか", 4), ("いつか", 5), ("むいか", 6),
    ("なのか", 7), ("ようか", 8), ("ここのか", 9), ("とおか", 10), ("はつか", 20),
)  # fmt: skip
_KANA_MONTH_DAY = ((re.compile(r"(\d{1,2})\s*がつ"), r"\1月"), (re.compile(r"(\d{1,2})\s*にち"), r"\1日"))
_KANA_HOUR = re.compile(r"(\d{1,2})\s*じ(はん)?(?![ゃゅょ])")
# What looks like a date but is none: e-mail addresses, URLs, phone and booking numbers.
_NOT_DATES = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|https?://\S+|CZ-[A-Z0-9]{6}|\+?\d{2,4}-\d{2,4}-\d{3,4}|\d{10,11}", re.I
)
_FIRST_OF_DAY = re.compile(r"朝イチ|朝一|朝いち|一番早い|いちばん早い|最初の枠")
_MONTH_END = re.compile(r"月末")
_EVENING_HOURS = range(1, 8)  # 「2時」 means 14:00 at a center open by day
# Weeks ahead of this one, longest word first (再来週 contains 来週).
_WEEKS_AHEAD = (("再来週", 2), ("来週", 1), ("今週", 0))


@dataclass(frozen=True)
class Wanted:
    """What the visitor asked for: a day, and an exact time or a part of the day."""

    day: date | None = None
    at: time | None = None
    part: str | None = None  # "am", "pm", or "first" (朝イチ: the day's first free slot)
    past: bool = False  # 「昨日」「先週の火曜」: a day that has gone by

    @property
    def empty(self) -> bool:
        """Nothing asked for (a day gone by is something: it is answered as such)."""
        return not self.past and self.day is None and self.at is None and self.part is None


def _part_of_day(text: str) -> str | None:
    if _FIRST_OF_DAY.search(text):
        return "first"
    if "午前" in text or "朝" in text:
        return "am"
    if "午後" in text or "夕方" in text:
        return "pm"
    return None


def _relative_day(text: str, today: date) -> date | None:
    for word, offset in _RELATIVE_DAYS:
        if word in text:
            return today + timedelta(days=offset)
    later = _DAYS_LATER.search(text)
    return today + timedelta(days=int(later.group(1))) if later else None


def _weekday(value: str, text: str, today: date) -> date:
    """That weekday (ja-timex: 1 = Monday) of the week named (今週・来週・再来週, weeks from
    Monday), or the next such day when no week is named."""
    target = int(value) - 1
    for word, weeks in _WEEKS_AHEAD:
        if word in text:
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)
            return monday + timedelta(days=target)
    ahead = (target - today.weekday()) % 7
    return today + timedelta(days=ahead)


def _day_of_month(text: str, today: date) -> date | None:
    """「10日」: that day of this month, or of the next when it has gone by; 「来月3日」: next month's."""
    match = _DAY_OF_MONTH.search(text)
    if not match:
        return None
    month = today.replace(day=1)
    if match.group(1) == "来月" or (match.group(1) is None and int(match.group(2)) < today.day):
        month = (month + timedelta(days=32)).replace(day=1)
    try:
        return month.replace(day=int(match.group(2)))
    except ValueError:
        return None


def _month_day(year: str | None, month: int, day: int, today: date) -> date | None:
    try:
        candidate = date(int(year) if year else today.year, month, day)
    except ValueError:
        return None
    if not year and candidate < today:
        candidate = candidate.replace(year=today.year + 1)
    return candidate


_WEEKDAY_ALONE = re.compile(r"([月火水木金土日])曜")
_WEEK_OR_DATE = re.compile(r"今週|来週|再来週|\d+\s*[/月日]|今日|明日|あさって|明後日")


def weekday_alone(text: str) -> int | None:
    """The weekday (0 = Monday) a text names without a week or a date («水曜で»), else ``None``:
    in a correction it means that day of the week already chosen."""
    text = _prepared(text)
    named = _WEEKDAY_ALONE.search(text)
    if not named or _WEEK_OR_DATE.search(text):
        return None
    return "月火水木金土日".index(named.group(1))


def _prepared(text: str) -> str:
    """``text`` normalised, with what only looks like a date taken out and kana words in kanji."""
    text = _NOT_DATES.sub(" ", normalize(text))
    for kana, word in _KANA_WORDS:
        text = text.replace(kana, word)
    for kana, day in _KANA_DAYS:
        text = text.replace(kana, f"{day}日")
    for pattern, replacement in _KANA_MONTH_DAY:
        text = pattern.sub(replacement, text)
    return _KANA_HOUR.sub(lambda m: f"{m.group(1)}時{'半' if m.group(2) else ''}", text)


def _month_end(today: date) -> date:
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def parse_wanted(text: str, today: date) -> Wanted:
    """The day and time asked for in ``text``, relative to ``today`` (Tokyo); the first day named
    counts (「12/10の14時、だめなら11日」 asks for 12/10)."""
    text = _prepared(text)
    if _PAST.search(text):
        return Wanted(past=True)
    day, at = _relative_day(text, today), None
    if day is None and _MONTH_END.search(text):
        day = _month_end(today)
    for timex in TimexParser().parse(text):
        if timex.type == "DATE" and day is None:
            if weekday := _WEEKDAY.fullmatch(timex.value):
                day = _weekday(weekday.group(1), text, today)
            elif month_day := _MONTH_DAY.fullmatch(timex.value):
                day = (
                    _month_day(month_day.group(1), int(month_day.group(2)), int(month_day.group(3)), today)
                    or day
                )
        elif timex.type == "TIME" and (clock := _CLOCK.match(timex.value)):
            hour, minute = int(clock.group(1)), 0 if clock.group(2) == "XX" else int(clock.group(2))
            said_afternoon = any(word in text for word in _AFTERNOON)
            if hour < 12 and (said_afternoon or (hour in _EVENING_HOURS and "午前" not in text)):
                hour += 12
            if 0 <= hour < 24 and at is None:
                at = time(hour, minute)
    day = day or _day_of_month(text, today)
    if day and day < today:
        return Wanted(past=True)
    return Wanted(day=day, at=at, part=None if at else _part_of_day(text))
