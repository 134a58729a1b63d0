"""What the visitor is told during a hand-off: what happens next, never a promised time."""

from __future__ import annotations

from bot.conversation.messages import BotMessage, Button, bot_message
from bot.escalation.models import Escalation

RESTART_BUTTON: Button = {"title": "最初からやり直す", "payload": "/restart"}

NEXT_BUTTONS: list[Button] = [
    {"title": "相談を予約する", "payload": "/book_consultation"},
    {"title": "支援制度を見る", "payload": "/ask_program"},
]
PHONE = "お急ぎの場合は、秋葉原本部(電話 03-3832-3656)へお電話ください。"
NO_LIVE_CHAT = "このチャットで担当者と直接やり取りすることはできません。"
_OPENED = {
    "requested_human": "この内容をセンターの担当者に引き継ぎます(受付番号 {ref})。" + NO_LIVE_CHAT,
    "repeated_fallback": (
        "うまくお答えできず申し訳ありません。この会話をセンターの担当者に引き継ぎます(受付番号 {ref})。"
        + NO_LIVE_CHAT
    ),
    "urgent": (
        "急いで対応が必要な可能性がある内容のため、センターの担当者に優先して引き継ぎました(受付番号 {ref})。"
        "警告状や期限のある書類は、ご自身で相手に回答する前に、専門家にご相談ください。" + PHONE
    ),
}
NO_TIME_PROMISE = "回答の時期はお約束できませんが、受け付けた順に、緊急の内容を優先して対応しています。"
PAUSED = (
    "この会話は担当者に引き継いでいます。いただいたメッセージは担当者にお伝えします。"
    "チャットボットに質問し直す場合は「最初からやり直す」を押してください。"
)
DONE_WITH_CONTACT = (
    "連絡先を承りました。受付番号 {ref} の件で、担当者からいただいた連絡先にご連絡します。" + NO_TIME_PROMISE
)
DONE_WITHOUT_CONTACT = "連絡先はお預かりしません。受付番号 {ref} の件は担当者が確認します。" + PHONE
KEEP_ASKING = "そのほかのご質問には、引き続きこのチャットでお答えします。"
WAITING = "受付番号 {ref} の件は、担当者の確認をお待ちいただいています。" + NO_TIME_PROMISE + PHONE


def _reference(escalation: Escalation) -> str:
    return escalation.reference or f"#{escalation.id}"


def opened(escalation: Escalation) -> list[BotMessage]:
    """The first reply of a hand-off (the contact form asks for consent next, when needed)."""
    text = _OPENED[escalation.reason].format(ref=_reference(escalation))
    return [bot_message(text + ("" if escalation.reason == "urgent" else NO_TIME_PROMISE))]


def finished(escalation: Escalation) -> list[BotMessage]:
    """The reply once contact is given or declined; the bot goes on answering."""
    done = DONE_WITH_CONTACT if escalation.contact_consent else DONE_WITHOUT_CONTACT
    return [bot_message(done.format(ref=_reference(escalation)) + KEEP_ASKING, NEXT_BUTTONS)]


def waiting(escalation: Escalation) -> BotMessage:
    """How the hand-off stands, asked «まだですか»."""
    return bot_message(WAITING.format(ref=_reference(escalation)), NEXT_BUTTONS)


TOO_OFTEN = (
    "短い時間に何度も担当者へのおつなぎをご依頼いただいたため、このチャットからの受付をしばらく止めています。"
    + PHONE
)


def too_often() -> BotMessage:
    return bot_message(TOO_OFTEN, NEXT_BUTTONS)


def paused() -> BotMessage:
    return bot_message(PAUSED, [RESTART_BUTTON])
