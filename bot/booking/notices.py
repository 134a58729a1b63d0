"""The e-mails a booking's address gets when the booking is cancelled or changed (by the
visitor in the chat or by staff): the owner learns of it, also when someone else did it."""

from __future__ import annotations

from datetime import datetime

from bot.booking.messages import slot_label

SENDER = "東京都知的財産総合センター"
NOT_YOU = "お心当たりがない場合は、お手数ですが、センターにお問い合わせください。"
NO_REPLY = "このメールは送信専用です。ご返信いただいてもお答えできません。"


def cancelled_mail(number: str, start: datetime) -> tuple[str, str]:
    subject = f"【{SENDER}】ご予約のキャンセル(予約番号 {number})"
    body = (
        f"予約番号 {number}({slot_label(start)})のご予約は、キャンセルされました。\n\n{NOT_YOU}\n{NO_REPLY}\n"
    )
    return subject, body


def changed_mail(number: str, start: datetime) -> tuple[str, str]:
    subject = f"【{SENDER}】ご予約の日時の変更(予約番号 {number})"
    body = f"予約番号 {number} のご予約は、{slot_label(start)} に変更されました。\n\n{NOT_YOU}\n{NO_REPLY}\n"
    return subject, body
