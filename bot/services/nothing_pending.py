"""A yes, a no or a bare answer when the bot asked nothing: never an empty 承知しました.

When the text carries data, it leads to the flow the data implies (a booking number → cancel
or change; a phone number or e-mail with a call-back wish → the call-back; a day with 予約 or
相談 → a booking); otherwise the visitor is asked what they need, with the menu.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.conversation.messages import BotMessage, bot_message
from bot.conversation.replies import NEXT_STEP_BUTTONS
from bot.reading.booking_number import read_booking_number
from bot.reading.contact import parse_contact
from bot.text.normalize import normalize

Flow = Literal["cancel", "callback", "booking"]

WHAT_CAN_I_DO = "ご用件をお知らせください。知的財産のご質問、支援制度のご案内、相談のご予約を承ります。"
_CALLBACK = re.compile(
    r"折り?返し|電話(を|して|くだ|下さ|ほし|欲し|もら|ちょうだい)|連絡(を|して|くだ|下さ|ほし|欲し)|コールバック"
)
_BOOKING = re.compile(r"予約|相談(したい|を|でき|させ|に)")
_DAY = re.compile(r"今日|明日|あした|明後日|あさって|今週|来週|再来週|来月|\d+\s*[/月日時]|[月火水木金]曜")


def implied_flow(text: str) -> Flow | None:
    """The flow ``text`` asks for by the data it carries, or ``None``."""
    text = normalize(text)
    if read_booking_number(text):
        return "cancel"
    if parse_contact(text) and _CALLBACK.search(text):
        return "callback"
    if _BOOKING.search(text) and _DAY.search(text):
        return "booking"
    return None


def what_can_i_do() -> list[BotMessage]:
    """The short question, with the menu, for a turn that asked for nothing."""
    return [bot_message(WHAT_CAN_I_DO, NEXT_STEP_BUTTONS)]
