"""What the visitor is told during a hand-off: what happens next, never a promised time."""

from __future__ import annotations

from bot.conversation.messages import BotMessage, Button, bot_message, card
from bot.escalation.models import Escalation
from bot.staffing.duty import Availability, Presence

NEXT_BUTTONS: list[Button] = [
    {"title": "相談を予約する", "payload": "/book_consultation"},
    {"title": "支援制度を見る", "payload": "/ask_program"},
]
PHONE = "お急ぎの場合は、秋葉原本部(電話 03-3832-3656)へお電話ください。"
NO_LIVE_CHAT = "このチャットで担当者と直接やり取りすることはできません。"
OFF_HOURS = "ただいまは、担当者がチャットで対応する時間外です(対応時間: {hours})。"
NOBODY_ON_DUTY = "ただいまチャットで対応できる担当者がおりません。"
_OPENED = {
    "requested_human": "この内容をセンターの担当者に引き継ぎます(受付番号 {ref})。",
    "repeated_fallback": (
        "うまくお答えできず申し訳ありません。この会話をセンターの担当者に引き継ぎます(受付番号 {ref})。"
    ),
    "urgent": (
        "急いで対応が必要な可能性がある内容のため、センターの担当者に優先して引き継ぎました(受付番号 {ref})。"
    ),
}
URGENT_ADVICE = "警告状や期限のある書類は、ご自身で相手に回答する前に、専門家にご相談ください。"
NO_TIME_PROMISE = "回答の時期はお約束できませんが、受け付けた順に、緊急の内容を優先して対応しています。"
LIVE = "担当者がこのチャットでお返事しますので、このままお待ちください(いま{position}番目です)。"
HELD_WAITING = "担当者にお送りしました。担当者が入るまで、もう少しお待ちください。"
HELD_TAKEN = "担当者にお送りしました。"
TAKEN = "センターの担当者({name})がこの会話に入りました。このチャットでお答えします。"
HANDED_BACK = "担当者との会話を終えました。ここからは、チャットボットがお答えします。"
LIVE_ENDED = "ただいま担当者がチャットで対応できなくなりました。受付番号 {ref} の件は、担当者が確認します。"
BACK_TO_BOT = "チャットボットに戻りました。受付番号 {ref} の件は、担当者が確認します。"
DONE_WITH_CONTACT = (
    "連絡先を承りました。受付番号 {ref} の件で、担当者からいただいた連絡先にご連絡します。" + NO_TIME_PROMISE
)
DONE_WITHOUT_CONTACT = "連絡先はお預かりしません。受付番号 {ref} の件は担当者が確認します。" + PHONE
KEEP_ASKING = "そのほかのご質問には、引き続きこのチャットでお答えします。"
WAITING = "受付番号 {ref} の件は、担当者の確認をお待ちいただいています。" + NO_TIME_PROMISE
WAITING_LIVE = "受付番号 {ref} の件は、担当者が入るのをお待ちいただいています(いま{position}番目です)。"
WAITING_TAKEN = (
    "受付番号 {ref} の件は、担当者が対応しています。このチャットでお返事しますので、少しお待ちください。"
)
CONTACT_CHANGED = "受付番号 {ref} の件の連絡先を「{contact}」に変更しました。"
# The payload of 「チャットボットに戻る」: the visitor stops waiting for a person (the gateway
# answers it; the booking or form in progress is kept).
BACK_TO_BOT_PAYLOAD = "/back_to_bot"
HUMAN_BUTTON: Button = {"title": "担当者と話す", "payload": "/request_human"}
BACK_TO_BOT_BUTTON: Button = {"title": "チャットボットに戻る", "payload": BACK_TO_BOT_PAYLOAD}


def _reference(escalation: Escalation) -> str:
    return escalation.reference or f"#{escalation.id}"


def _nobody_now(presence: Availability) -> str:
    """Why no person answers in the chat now, with the staffed hours when they are set."""
    if presence.presence is Presence.OFF_HOURS:
        return OFF_HOURS.format(hours=presence.hours)
    if presence.presence is Presence.NOBODY_ON_DUTY:
        return NOBODY_ON_DUTY
    return NO_LIVE_CHAT


def opened(escalation: Escalation, presence: Availability) -> list[BotMessage]:
    """The first reply of a hand-off nobody can take in the chat now (the contact form asks for
    consent next, when needed): why, the phone number, no promised time."""
    text = _OPENED[escalation.reason].format(ref=_reference(escalation)) + _nobody_now(presence)
    if escalation.reason == "urgent":
        return [bot_message(text + URGENT_ADVICE + PHONE)]
    return [bot_message(text + NO_TIME_PROMISE + PHONE)]


URGENT_NOTED = (
    "急いで対応が必要な可能性がある内容と受け止め、センターの担当者に優先してお伝えしました(受付番号 {ref})。"
)


def urgent_noted(escalation: Escalation, presence: Availability) -> BotMessage:
    """Said before the bot's own reply when a turn inside a form or an answer is urgent."""
    text = URGENT_NOTED.format(ref=_reference(escalation)) + URGENT_ADVICE + PHONE
    buttons = [HUMAN_BUTTON] if presence.live else []
    return bot_message(text, buttons)


def opened_live(escalation: Escalation, position: int) -> list[BotMessage]:
    """The first reply of a hand-off a person will take in the chat: the place in the queue."""
    text = _OPENED[escalation.reason].format(ref=_reference(escalation)) + LIVE.format(position=position)
    if escalation.reason == "urgent":
        text += URGENT_ADVICE + PHONE
    return [bot_message(text, [BACK_TO_BOT_BUTTON])]


def held(escalation: Escalation, taken: bool) -> BotMessage:
    """The reply to a visitor message while the conversation is held for staff."""
    return bot_message(HELD_TAKEN if taken else HELD_WAITING, [BACK_TO_BOT_BUTTON])


def live_ended(escalation: Escalation, presence: Availability) -> BotMessage:
    text = LIVE_ENDED.format(ref=_reference(escalation))
    if presence.presence is Presence.OFF_HOURS:
        text += OFF_HOURS.format(hours=presence.hours)
    return bot_message(text + PHONE + KEEP_ASKING, NEXT_BUTTONS)


def back_to_bot(escalation: Escalation) -> BotMessage:
    return bot_message(BACK_TO_BOT.format(ref=_reference(escalation)) + KEEP_ASKING, NEXT_BUTTONS)


def taken(name: str) -> BotMessage:
    return bot_message(TAKEN.format(name=name))


def from_staff(text: str) -> BotMessage:
    return bot_message(text)


def handed_back() -> BotMessage:
    return bot_message(HANDED_BACK, NEXT_BUTTONS)


def finished(escalation: Escalation) -> list[BotMessage]:
    """The reply once contact is given or declined; the bot goes on answering."""
    done = DONE_WITH_CONTACT if escalation.contact_consent else DONE_WITHOUT_CONTACT
    return [bot_message(done.format(ref=_reference(escalation)) + KEEP_ASKING, NEXT_BUTTONS)]


def waiting(escalation: Escalation, presence: Availability, position: int | None) -> BotMessage:
    """How the hand-off stands, asked «まだですか»: a person on it, the queue, or off hours; as
    text, and as a card (LINE shows it as a Flex Message)."""
    ref = _reference(escalation)
    if escalation.bot_paused and escalation.status == "in_progress":
        text, state, buttons = WAITING_TAKEN.format(ref=ref), "担当者が対応しています", [BACK_TO_BOT_BUTTON]
    elif escalation.bot_paused and position is not None:
        text, state = WAITING_LIVE.format(ref=ref, position=position), f"担当者をお待ちです({position}番目)"
        buttons = [BACK_TO_BOT_BUTTON]
    else:
        text, state, buttons = WAITING.format(ref=ref), "担当者の確認をお待ちです", NEXT_BUTTONS
        if presence.presence is Presence.OFF_HOURS:
            text += OFF_HOURS.format(hours=presence.hours)
        text += PHONE
    return bot_message(
        text, buttons, card("お問い合わせの状況", [("受付番号", ref), ("状況", state)], [text])
    )


def contact_changed(escalation: Escalation, shown: str) -> BotMessage:
    return bot_message(CONTACT_CHANGED.format(ref=_reference(escalation), contact=shown), NEXT_BUTTONS)


URGENT_MAIL = (
    "チャットで緊急の可能性がある相談を受け付けました(受付番号 {ref})。\n"
    "内容と来訪者の情報は、スタッフ画面で確認してください: {link}\n\n"
    "このメールは chizai-bot が自動で送信しています。"
)
TOO_OFTEN = (
    "短い時間に何度も担当者へのおつなぎをご依頼いただいたため、このチャットからの受付をしばらく止めています。"
    + PHONE
)


def too_often() -> BotMessage:
    return bot_message(TOO_OFTEN, NEXT_BUTTONS)
