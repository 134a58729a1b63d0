"""What a message asks for by the data it carries, whatever its sentence says:
- a booking number, or a booking to move or cancel → cancel or change;
- a phone number or e-mail with a call-back wish → a person;
- where a place is («城南ってどこにあるの？») → the center's information;
- a seminar or course → the programs (never a consultation booking);
- 予約 or 相談 with a day, a consultant or a place, a day with a consultant or a place, or a
  consultant asked in person («弁理士さんに聞きたい») → a booking.

The gateway gives Rasa this intent in place of the classifier's (bot/services/assistant.py), so
that «12/10に商標の相談をしたい» books rather than answers a trademark question; an urgent matter
keeps its own intent (it goes to staff first).
"""

from __future__ import annotations

import re

from bot.booking.dates import parse_wanted
from bot.core.clock import now_tokyo
from bot.escalation.urgency import urgent_reason
from bot.reading.booking_number import names_booking_number
from bot.reading.contact import parse_contact
from bot.text.normalize import normalize

_CALLBACK = re.compile(
    r"折り?返し|おりかえし|(お)?でんわ\s*(ください|して|ほしい)|電話(を|して|くだ|下さ|ほし|欲し|もら|ちょうだい)|連絡(を|して|くだ|下さ|ほし|欲し)|コールバック"
)
# Moving or cancelling a booking («さっきの予約を来週に変えたい») is no new booking.
_CHANGE = re.compile(r"(予約|よやく).{0,15}(変更|変え|かえ|キャンセル|取り?消|とりけ|ずら|移)")
_BOOKING = re.compile(
    r"予約|よやく|(相談|そうだん)(したい|を|でき|させ|に|の予約|お願い)|(相談|そうだん).{0,15}(お願い|おねがい)"
)
# Asking a consultant in person («弁理士さんに聞きたい»).
_ASK_ONE = re.compile(
    r"(弁理士|弁護士|専門家|アドバイザー|先生)(さん)?(に|と)\s*(聞き|きき|話し|はなし|見て|みて|相談)"
)
# Who or where (a day is read by the booking's own date reader).
_WHO_OR_WHERE = re.compile(
    r"弁理士|弁護士|べんりし|べんごし|専門家|アドバイザー|あどばいざー|"
    r"秋葉原|本部|城東|城南|多摩|あきはばら|じょうとう|じょうなん|窓口|まどぐち"
)
# Where a place is («城南ってどこにあるの？»): a question about the center.
_WHERE = re.compile(r"どこ|住所|所在地|アクセス|行き方|最寄り|駅から")
_PLACE = re.compile(r"秋葉原|本部|城東|城南|多摩|支援室|センター|あきはばら|じょうとう|じょうなん")
_EVENT = re.compile(r"セミナー|講座|講習|研修|勉強会|説明会|イベント|ウェビナー|seminar|webinar", re.I)


def about_an_event(text: str) -> bool:
    """A seminar, course or study group: never a consultation booking."""
    return bool(_EVENT.search(normalize(text)))


def _names_a_day(text: str) -> bool:
    return not parse_wanted(text, now_tokyo().date()).empty


def implied_intent(text: str) -> str | None:
    """The intent ``text`` implies by its data, or ``None`` (the classifier's stands)."""
    text = normalize(text)
    if urgent_reason(text):
        return None  # the classifier's: a topic question gets its answer with the urgent hand-off
    if names_booking_number(text) or _CHANGE.search(text):
        return "cancel_consultation"
    if parse_contact(text) and _CALLBACK.search(text):
        return "request_human"
    if _PLACE.search(text) and _WHERE.search(text) and not _BOOKING.search(text):
        return "ask_center_info"
    if about_an_event(text):
        return "ask_program"  # joining a seminar is no consultation booking (the answer says how)
    booking, who_or_where = bool(_BOOKING.search(text)), bool(_WHO_OR_WHERE.search(text))
    if not (booking or who_or_where):
        return None  # the date reader (a few milliseconds) is not needed for most messages
    day = _names_a_day(text)
    if (booking and (who_or_where or day)) or (who_or_where and (day or _ASK_ONE.search(text))):
        return "book_consultation"
    return None
