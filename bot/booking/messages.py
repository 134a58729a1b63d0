"""What the visitor reads while booking, in short polite Japanese."""

from __future__ import annotations

from datetime import date, datetime

from bot.booking.dates import Wanted
from bot.booking.models import Booking, ConsultationKind, Place
from bot.conversation.messages import BotMessage, Button, bot_message, card
from bot.core.clock import now_tokyo
from bot.core.config import get_settings

WEEKDAYS = "月火水木金土日"
FALLBACK_BUTTONS = [
    Button(title="担当者と話す", payload="/request_human"),
    Button(title="支援制度を見る", payload="/ask_program"),
]
LIMIT_BUTTONS = [
    Button(title="予約をやめる", payload="/deny"),
    Button(title="担当者と話す", payload="/request_human"),
]

ASK_TOPIC = "ご相談のテーマをお選びください。"
ASK_KIND = "ご希望の相談の種類をお選びください。"
ASK_PLACE = "ご希望の相談場所をお選びください。"
REMOTE_NOT_BOOKABLE = (
    "オンラインや電話でのご相談は、このチャットからはご予約できません"
    "(詳しくは秋葉原本部 電話 03-3832-3656 へお問い合わせください)。"
)
REMOTE_NOT_OFFERED = f"{REMOTE_NOT_BOOKABLE}来所でよろしければ、"  # the question follows
ASK_SLOT = "空いている日時です。ご希望の枠をお選びください(「12/3 14時」「来週火曜の午後」のように入力することもできます)。"
ASK_NEW_SLOT = "変更先の日時をお選びください。"
NO_FREE_SLOTS = "申し訳ありません。近い日程に空いている枠がありません。担当者にご相談ください。"
SLOT_TAKEN = "申し訳ありません。その枠はちょうど埋まってしまいました。ほかの空いている枠からお選びください。"
DATE_NOT_UNDERSTOOD = "日時を読み取れませんでした。"
# What each question expects, said when an answer could not be read (bot/booking/dialogue.unanswered).
HINTS = {
    "booking_topic": "ご相談のテーマを、ボタンからお選びいただくか「商標」「特許」のように入力してください。",
    "consultation_kind": "「アドバイザー」または「専門家(弁理士・弁護士)」のようにお答えください。",
    "place": "「秋葉原」「城東」「城南」「多摩」のように、場所の名前でお答えください。",
    "booking_slot": "日時は「12/3 14時」「来週火曜の午後」のように入力してください。",
    "company": "会社名(団体名・屋号)を入力してください。例: 株式会社ミドリ電機",
    "person_name": "お名前を入力してください。例: 鈴木一郎",
    "booking_contact": "電話番号またはメールアドレスを入力してください(例: name@example.jp)。",
    "booking_description": "ご相談の内容を、ひとことで入力してください。例: 新商品の名前を商標登録したい",
    "booking_consent": "ご予約には、個人情報の取り扱いへの同意が必要です。同意いただける場合は「同意します」とお答えください。",
    "booking_change": "変更したい項目をボタンからお選びいただくか、「日時」「連絡先」のように入力してください。",
}
STILL_NOT_READ = "うまく読み取れませんでした。"
CONFIRM_OR_CHANGE = "この内容で予約する場合は「はい」、変更する場合は「いいえ」とお答えください。"
STUCK_BUTTONS = [
    Button(title="担当者と話す", payload="/request_human"),
    Button(title="予約をやめる", payload="/deny"),
]
# The summary's lines for the choices; each typed answer's line is its question's label (form.py).
CHOICE_LABELS = {
    "booking_topic": "テーマ",
    "consultation_kind": "相談の種類",
    "place": "場所",
    "booking_slot": "日時",
}


def changed_field(label: str, shown: str) -> str:
    return f"{label}を「{shown}」に変更しました。"


THANKS_IN_FORM = "どういたしまして。ご予約の続きをお願いします。"
GREETING_IN_FORM = "こんにちは。ご予約の続きをお願いします。"
PAST_DAY = "過ぎた日時はご予約いただけません。これから先の空いている枠からお選びください。"
INVALID_CONTACT = (
    "電話番号またはメールアドレスとして確認できませんでした。お手数ですが、もう一度入力してください。"
)
NOT_FOUND = (
    "申し訳ありません。入力いただいた予約番号と連絡先の組み合わせに一致するご予約が見つかりませんでした。"
    "お手数ですが、予約番号と、ご予約時の電話番号またはメールアドレスをご確認ください。"
)
CONFIRM_SUMMARY = "次の内容でご予約します。よろしいですか。"
KEEP_NUMBER = "変更・キャンセルの際は、予約番号とご連絡先をお知らせください。"
CHANGE_OR_CANCEL = Button(title="予約を変更・キャンセルする", payload="/cancel_consultation")
SAMPLE_NOTE = "※表示している予約枠は、このチャットでご案内できる枠です。センターの受付時間をお知らせするものではありません。"

_REFUSALS = {
    "slot_full": "申し訳ありません。その枠はほかの方のご予約で埋まってしまいました。次の空いている枠からお選びください。",
    "past": "過去の日時はご予約いただけません。ほかの枠からお選びください。",
    "closed_day": "その日は休業日のため、ご予約いただけません。ほかの枠からお選びください。",
    "no_such_slot": "その日時には予約枠がありません。空いている枠からお選びください。",
    "unknown_option": "選択された相談の種類または場所は、現在ご予約いただけません。",
    "too_many_open_bookings": (
        "同じ連絡先で、すでに複数のご予約があります。追加のご予約は、既存のご予約の変更またはキャンセル後にお願いします。"
    ),
    "too_many_for_conversation": (
        "このチャットから、すでに複数のご予約をいただいています。追加のご予約は、既存のご予約の変更またはキャンセル後にお願いします。"
    ),
    "too_many_for_address": (
        "同じ接続元から、すでに多くのご予約をいただいています。追加のご予約は、お電話でセンターにご相談ください。"
    ),
    "too_far": "ご予約は{horizon_days}日先までの枠で承っています。もう少し近い日からお選びください。",
}
TOO_MANY_CANCEL_TRIES = (
    "予約番号と連絡先の確認が続けて一致しなかったため、しばらくの間このチャットでは確認できません。"
    "お手数ですが、時間をおいてからお試しいただくか、担当者にご相談ください。"
)


def slot_label(start: datetime) -> str:
    """``12/3(木) 14:00``; ``2027/1/5(火) 10:00`` in another year than this one."""
    return f"{day_label(start.date())} {start:%H:%M}"


def day_label(day: date) -> str:
    """``12/3(木)``; ``2027/1/5(火)`` in another year than this one."""
    year = f"{day.year}/" if day.year != now_tokyo().year else ""
    return f"{year}{day.month}/{day.day}({WEEKDAYS[day.weekday()]})"


def fits(start: datetime, wanted: Wanted) -> bool:
    """Whether a slot suits the time or part of the day asked for."""
    if wanted.at:
        return start.time() >= wanted.at
    if wanted.part == "am":
        return start.hour < 12
    if wanted.part == "first":
        return True
    if wanted.part == "pm":
        return start.hour >= 12
    return True


def offer_for(wanted: Wanted) -> str:
    """The offer of slots near what was asked; an exact time asked for was not free."""
    when = day_label(wanted.day) if wanted.day else "ご希望"
    if wanted.at:
        asked = f"{day_label(wanted.day)} {wanted.at:%H:%M}" if wanted.day else f"{wanted.at:%H:%M}"
        return f"{asked}には、空いている枠がありません。{when}の近い時間で空いている枠からお選びください。"
    return f"{when}の近い時間で空いている枠です。ご希望の枠をお選びください。"


def closed_day(day: date, reason: str) -> str:
    return f"{day_label(day)}は{reason}のため、ご予約いただけません。次の空いている枠からお選びください。"


def refusal(code: str) -> str:
    days = get_settings().booking_horizon_days
    return _REFUSALS.get(code, _REFUSALS["no_such_slot"]).format(horizon_days=days)


def summary(
    answers: list[tuple[str, str | None]],
    kind: ConsultationKind | None,
    place: Place | None,
    start: datetime,
    topic: str,
) -> BotMessage:
    """The booking to confirm: the choices, then each typed answer under its label."""
    rows = [
        (CHOICE_LABELS["booking_topic"], topic),
        (CHOICE_LABELS["consultation_kind"], kind.name if kind else "-"),
        (CHOICE_LABELS["place"], place.name if place else "-"),
        (CHOICE_LABELS["booking_slot"], slot_label(start)),
        *((label, value or "-") for label, value in answers),
    ]
    lines = [CONFIRM_SUMMARY, *(f"・{label}: {value}" for label, value in rows)]
    buttons = [
        Button(title="この内容で予約する", payload="/affirm"),
        Button(title="日時を変える", payload='/inform{"booking_change":"booking_slot"}'),
        Button(title="連絡先を変える", payload='/inform{"booking_change":"booking_contact"}'),
        Button(title="内容を変える", payload='/inform{"booking_change":"booking_description"}'),
        Button(title="予約をやめる", payload="/deny"),
    ]
    return bot_message("\n".join(lines), buttons, card("ご予約の内容", rows, [CONFIRM_SUMMARY]))


def confirmation(booking: Booking, place_name: str, base_url: str) -> BotMessage:
    ics = f"{base_url}/bookings/{booking.number}.ics?key={booking.access_key}"
    text = (
        f"ご予約を承りました。予約番号は {booking.number} です。\n"
        f"・日時: {slot_label(booking.slot_start)}\n・場所: {place_name}\n"
        f"{KEEP_NUMBER}\n"
        f"カレンダーに登録: {ics}\n{SAMPLE_NOTE}"
    )
    rows = [("予約番号", booking.number), ("日時", slot_label(booking.slot_start)), ("場所", place_name)]
    shown = card("ご予約を承りました", rows, [KEEP_NUMBER, SAMPLE_NOTE])
    buttons = [Button(title="カレンダーに登録", payload=ics), CHANGE_OR_CANCEL]
    return bot_message(text, buttons, shown)


def slot_offer(text: str, starts: list[datetime], buttons: list[Button]) -> BotMessage:
    """Slots to choose from, the buttons as given, the card listing them by day."""
    by_day: dict[str, list[str]] = {}
    for start in starts:
        by_day.setdefault(day_label(start.date()), []).append(f"{start:%H:%M}")
    rows = [(day, "・".join(times)) for day, times in by_day.items()]
    return bot_message(text, buttons, card("空いている日時", rows, [text]))


ASK_CANCEL_CHOICE = "キャンセルと日時の変更の、どちらをご希望ですか。"
CANCEL_CHOICE_BUTTONS = [
    Button(title="キャンセルする", payload='/inform{"cancel_choice":"cancel"}'),
    Button(title="日時を変更する", payload='/inform{"cancel_choice":"change"}'),
]


def booking_found(number: str, start: datetime, place_name: str) -> str:
    return f"予約番号 {number}: {slot_label(start)}({place_name})"


def cancel_summary(number: str, start: datetime, place_name: str, new_start: datetime | None) -> BotMessage:
    """The booking found and what will be done with it, to confirm with one yes."""
    booked = booking_found(number, start, place_name)
    if new_start:
        text = f"{booked}\nこのご予約を {slot_label(new_start)} に変更します。よろしいですか。"
        yes = "変更する"
    else:
        text = f"{booked}\nこのご予約をキャンセルします。よろしいですか。"
        yes = "キャンセルする"
    return bot_message(text, [Button(title=yes, payload="/affirm"), Button(title="やめる", payload="/deny")])


def cancelled(number: str) -> str:
    return f"予約番号 {number} のご予約をキャンセルしました。またのご利用をお待ちしています。"


def changed(number: str, start: datetime, place_name: str) -> str:
    return f"予約番号 {number} のご予約を {slot_label(start)}({place_name})に変更しました。"
