"""A yes, a no or a bare answer when the bot asked nothing: never an empty 承知しました.

When the text carries data, the gateway has already led it to its flow (bot/reading/requests.py);
otherwise the visitor is asked what they need, with the menu.
"""

from __future__ import annotations

from bot.conversation.messages import BotMessage, bot_message
from bot.conversation.replies import NEXT_STEP_BUTTONS

WHAT_CAN_I_DO = "ご用件をお知らせください。知的財産のご質問、支援制度のご案内、相談のご予約を承ります。"


def what_can_i_do() -> list[BotMessage]:
    """The short question, with the menu, for a turn that asked for nothing."""
    return [bot_message(WHAT_CAN_I_DO, NEXT_STEP_BUTTONS)]
