"""What the visitor is told during a hand-off: what happens next, never a promised time."""

from __future__ import annotations

from bot.conversation.messages import BotMessage, Button, bot_message
from bot.escalation.models import Escalation

RESTART_BUTTON: Button = {"title": "最初からやり直す", "payload": "/restart"}

_OPENED = {
    "requested_human": "担当者におつなぎします。センターの担当者がこの会話の内容を確認します。",
    "repeated_fallback": (
        "うまくお答えできず申し訳ありません。この会話をセンターの担当者に引き継ぎ、担当者が内容を確認します。"
    ),
    "urgent": (
        "急いで対応が必要な可能性がある内容のため、この会話をセンターの担当者に優先して引き継ぎました。"
        "警告状や期限のある書類は、ご自身で相手に回答する前に、専門家にご相談ください。"
        "お急ぎの場合は、秋葉原本部(電話 03-3832-3656)へお電話ください。"
    ),
}
NO_TIME_PROMISE = "回答の時期はお約束できませんが、受け付けた順に、緊急の内容を優先して対応しています。"
PAUSED = (
    "この会話は担当者に引き継いでいます。いただいたメッセージは担当者にお伝えします。"
    "チャットボットに質問し直す場合は「最初からやり直す」を押してください。"
)
DONE_WITH_CONTACT = "連絡先を承りました。担当者から、いただいた連絡先にご連絡します。" + NO_TIME_PROMISE
DONE_WITHOUT_CONTACT = "承知しました。連絡先はお預かりしません。お急ぎの場合は、秋葉原本部(電話 03-3832-3656)へお問い合わせください。"


def opened(escalation: Escalation) -> list[BotMessage]:
    """The first reply of a hand-off (the contact form asks for consent next, when needed)."""
    return [bot_message(_OPENED[escalation.reason] + NO_TIME_PROMISE)]


def finished(escalation: Escalation) -> list[BotMessage]:
    """The reply once contact is given or declined; the bot then waits for staff."""
    text = DONE_WITH_CONTACT if escalation.contact_consent else DONE_WITHOUT_CONTACT
    return [bot_message(text, [RESTART_BUTTON])]


TOO_OFTEN = (
    "短い時間に何度も担当者へのおつなぎをご依頼いただいたため、このチャットからの受付をしばらく止めています。"
    "お急ぎの場合は、秋葉原本部(電話 03-3832-3656)へお問い合わせください。"
)


def too_often() -> BotMessage:
    return bot_message(TOO_OFTEN, [RESTART_BUTTON])


def paused() -> BotMessage:
    return bot_message(PAUSED, [RESTART_BUTTON])
