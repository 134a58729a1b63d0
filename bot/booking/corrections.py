"""Corrections as visitors type them, at any question of the booking form and at its summary:
「火曜じゃなくて金曜で」「名前は山田花子です」「やっぱり城南で」「連絡先を変えたい」.

A correction names what it changes (a field word, or a new value that says which field it is)
and is marked as one (じゃなくて, やっぱり, 正しくは, 変えて…), or sets a field by name («名前は…»).
An answer to the question being asked is no correction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.booking.dates import parse_wanted
from bot.core.clock import now_tokyo
from bot.text.normalize import has_words, normalize

# Field words, the more specific first (相談内容 before 相談の種類's 相談).
FIELDS = (
    ("booking_description", r"相談内容|ご相談の内容|内容"),
    ("consultation_kind", r"相談の種類|相談員|種類"),
    ("booking_slot", r"日時|日付|日にち|時間|時刻|曜日"),
    ("place", r"場所|会場"),
    ("company", r"会社名|社名|屋号|会社"),
    ("person_name", r"お名前|名前|氏名"),
    ("booking_contact", r"連絡先|電話番号|メールアドレス|メール|電話"),
)
# Words after which the new value comes («火曜じゃなくて金曜», «やっぱり城南»).
_INSTEAD = r"じゃなくて|じゃなく|ではなく|やのうて|やなくて|やっぱり|やっぱ|やはり|正しくは"
_MARKER = re.compile(rf"{_INSTEAD}|間違|まちが|変えて|変えたい|かえて|かえたい|変更|訂正|直して|直したい")
# The new value: what follows the last such word, or the field's は/を.
_VALUE_AFTER = re.compile(rf"(?:{_INSTEAD})[、,\s]*(?P<value>.+)$")
_TRAILING = re.compile(
    r"(?:に(?:して|変えて|変更して|かえて)(?:ください|下さい|ほしい|欲しい|もらえますか)?|"
    r"でお願いします|でおねがいします|でお願い|がいいです|がいい|で|です|や|やで|だよ|です。)[。!！\s]*$"
)
_PLACE = re.compile(r"秋葉原|本部|城東|青砥|城南|蒲田|多摩|昭島")
_KIND = re.compile(r"弁理士|弁護士|専門家|アドバイザー")


@dataclass(frozen=True)
class Correction:
    slot: str
    value: str | None  # the new answer as typed, or None: ask the question again


def _field(text: str) -> tuple[str, str] | None:
    for slot, pattern in FIELDS:
        if match := re.search(pattern, text):
            return slot, match.group(0)
    return None


def _value(text: str, field_word: str | None) -> str | None:
    after = _VALUE_AFTER.search(text)
    if after:
        value = after.group("value")
    elif field_word and (named := re.search(rf"{field_word}(?:は|を|が)[、\s]*(?P<value>.+)$", text)):
        value = named.group("value")
    else:
        return None
    value = re.split(r"[、。,]|に(?:変更|変え|かえ|して|直)", value.strip())[0]
    value = _TRAILING.sub("", value)
    return value if has_words(value) and not _MARKER.fullmatch(value) else None


def _slot_of(value: str) -> str | None:
    """Which field a bare new value is for: a day or time, a place or a consultant."""
    if not parse_wanted(value, now_tokyo().date()).empty:
        return "booking_slot"
    if _PLACE.search(value):
        return "place"
    return "consultation_kind" if _KIND.search(value) else None


def correction_in(text: str, asked: str | None) -> Correction | None:
    """The correction ``text`` makes, or ``None`` (no correction, or the answer to ``asked``)."""
    if asked == "booking_description":
        return None  # free words about the matter may name anything
    text = normalize(text)
    field = _field(text)
    marked = bool(_MARKER.search(text))
    named = bool(field and re.search(rf"{field[1]}(?:は|を)", text))
    if not marked and not named:
        return None
    value = _value(text, field[1] if field else None)
    slot = field[0] if field else (_slot_of(value) if value else None)
    if slot is None or slot == asked:
        return None
    if value and slot in ("booking_slot", "place", "consultation_kind") and field is None:
        return Correction(slot, value)
    if value and _MARKER.search(value):
        value = None  # 「日付を変えてください」: which one, asked next
    return Correction(slot, value)
