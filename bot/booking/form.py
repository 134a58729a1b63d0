"""The booking form, declared once: its questions in order; for each typed answer its reader and
its line in the summary (the answer is kept in the form's draft, bot/forms/drafts.py, never in
Rasa's slots); and how a message leaves the form, asks something else, or says no.

Adding a typed question is one ``Question`` here, its slot and prompt (``utter_ask_<slot>``) in
``domain.yml`` (a unit test keeps ``required_slots`` in step), and, when the booking stores it, the
column and its migration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bot.booking import messages as say
from bot.booking.corrections import FIELDS
from bot.booking.service import may_book_more
from bot.conversation.messages import BotMessage, bot_message
from bot.reading.contact import masked_contact, parse_contact
from bot.reading.names import read_company_and_name, read_person_name
from bot.text.normalize import has_words, normalize

FORM = "booking_form"
# Intents that are no answer to a free-text question: the visitor asks or wants something else.
TOPIC_QUESTIONS = frozenset(
    {"ask_patent", "ask_design", "ask_trademark", "ask_copyright", "ask_trade_secret", "ask_contract",
     "ask_infringement", "ask_program", "ask_center_info"}
)  # fmt: skip
# Stopping is explicit («予約をやめます»); a bare «いいえ» at a question is no stop.
_STOP = re.compile(
    r"(予約|手続き|申し?込み?|入力)(を|は)?(やめ|止め|中止|キャンセル|取りやめ|取り消)|"
    r"^(やっぱり|もう)?(やめ|中止|キャンセル)(ます|る|たい|て|で|し(ます|たい))?[。!！]*$|やっぱりやめ|もうやめ"
)
_QUESTION = re.compile(r"[?？]|ですか|ますか|でしょうか|か[。!！]*$|教えて|知りたい|いくら|どこ|なに|何|いつ")
_NO = re.compile(
    r"^(いいえ|いえ|いや|違います|ちがいます|ちがう|違う|no|ノー|だめ|ダメ)|同意しません|同意できません|しません$",
    re.I,
)


@dataclass(frozen=True)
class Reading:
    """The answers read from one message (``None``: not understood, ask again), and what to say."""

    values: dict[str, str | None]
    messages: list[BotMessage] = field(default_factory=list)


# (session, the text typed, the form's answers so far) -> what was read
Reader = Callable[[Session, str, Mapping[str, Any]], Reading]


def read_company(session: Session, text: str, given: Mapping[str, Any]) -> Reading:
    """The company, and the person's name too when both came in one message
    («株式会社ミドリ電機の鈴木です»), unless the name was given already."""
    company, name = read_company_and_name(text)
    values = {"company": company if has_words(company) else None}
    if values["company"] and name and not given.get("person_name"):
        values["person_name"] = name
    return Reading(values)


def read_name(session: Session, text: str, given: Mapping[str, Any]) -> Reading:
    name = read_person_name(text)
    return Reading({"person_name": name if has_words(name) else None})


def read_contact(session: Session, text: str, given: Mapping[str, Any]) -> Reading:
    """A phone or e-mail, normalised; refused here, before the rest of the form, when it already
    holds enough bookings."""
    contact = parse_contact(text)
    if contact is None:
        return Reading({"booking_contact": None}, [bot_message(say.INVALID_CONTACT)])
    if not may_book_more(session, contact):
        refusal = bot_message(say.refusal("too_many_open_bookings"), say.LIMIT_BUTTONS)
        return Reading({"booking_contact": None}, [refusal])
    return Reading({"booking_contact": str(contact)})


def read_description(session: Session, text: str, given: Mapping[str, Any]) -> Reading:
    """A few words about the matter; emoji or marks alone are no description."""
    return Reading({"booking_description": text if has_words(text) else None})


@dataclass(frozen=True)
class Question:
    slot: str
    read: Reader | None = None  # a typed answer read by the form and kept in the draft
    label: str | None = None  # its line in the summary
    shown: Callable[[str], str] = str  # how the summary shows the answer (a contact, masked)

    @property
    def personal(self) -> bool:
        return self.read is not None


QUESTIONS = (
    Question("booking_topic"),
    Question("consultation_kind"),
    Question("place"),
    Question("booking_slot"),
    Question("company", read_company, "会社名"),
    Question("person_name", read_name, "お名前"),
    Question("booking_contact", read_contact, "連絡先", shown=masked_contact),
    Question("booking_description", read_description, "ご相談内容"),
    Question("booking_consent"),
    Question("booking_confirmed"),
)
SLOTS = tuple(q.slot for q in QUESTIONS)
PERSONAL = tuple(q.slot for q in QUESTIONS if q.personal)


def question(slot: str) -> Question:
    return next(q for q in QUESTIONS if q.slot == slot)


CHANGE = "booking_change"  # asked after a no to the summary: which field to change
REFUSED = "no"  # booking_confirmed after a no to the summary


def required(confirmed: str | None) -> list[str]:
    """The form's questions; after a no to the summary, which field to change comes before it."""
    if confirmed == REFUSED:
        return [*SLOTS[:-1], CHANGE, SLOTS[-1]]
    return list(SLOTS)


def field_named(text: str) -> str | None:
    """The field a visitor names («日時», «連絡先を»), or ``None``."""
    return next((slot for slot, pattern in FIELDS if re.search(pattern, normalize(text))), None)


def stops(text: str, intent: str | None) -> bool:
    """The visitor leaves the form: a person asked for, or the booking stopped in so many words."""
    return intent == "request_human" or bool(_STOP.search(normalize(text)))


def asks_something_else(text: str, intent: str | None) -> bool:
    """A question of its own asked mid-form (answered, then the form's question again)."""
    return intent in TOPIC_QUESTIONS | {"bot_challenge"} and bool(_QUESTION.search(normalize(text)))


_COURTESY = re.compile(
    r"^(ありがと|ありがとう|サンキュー|thanks|thank you|どうも|こんにちは|おはよう|こんばんは|よろしく)", re.I
)


def is_courtesy(text: str, intent: str | None) -> bool:
    """Thanks or a greeting, and nothing more («ありがとう»)."""
    return intent in ("thank", "greet") and bool(_COURTESY.search(normalize(text))) and len(text) <= 20


def is_answer(slot: str, text: str, intent: str | None) -> bool:
    """Whether a typed message answers the question for ``slot``: it does not leave the form, is
    no mere thanks, and asks nothing else (a description may well be a question: «商標はとれるか知りたい»)."""
    if stops(text, intent) or is_courtesy(text, intent):
        return False
    return slot == "booking_description" or not asks_something_else(text, intent)


_CHOOSING = re.compile(r"希望|で(お願い|予約|相談)|にします|にしたい|がいい|でいい")


def chooses(text: str) -> bool:
    """Whether a question also says what the visitor chooses («城東を希望しますが、所在地は？»),
    not only asks about it («城南ってどこにあるの？»)."""
    return bool(_CHOOSING.search(normalize(text)))


def says_no(text: str) -> bool:
    """A plain no in words (the classifier's deny is not trusted here: «どういします» read as one)."""
    return bool(_NO.search(normalize(text)))


# Topics named in words the entity ruler does not know: English, and matters that are «other».
_TOPIC_WORDS = (
    ("trade_secret", r"trade\s*secret|ノウハウ|営業秘密|えいぎょうひみつ"),
    ("patent", r"\bpatent|とっきょ"),
    ("trademark", r"trademark|しょうひょう"),
    ("design", r"いしょう"),
    ("copyright", r"copyright|ちょさくけん"),
    ("other", r"契約|NDA|ライセンス|侵害|ニセモノ|偽物|模倣|パクリ|警告|訴え"),
)


def topic_named(text: str) -> str | None:
    text = normalize(text)
    return next((topic for topic, pattern in _TOPIC_WORDS if re.search(pattern, text, re.I)), None)


def topic_for(asked: bool, text: str, ip_type: str | None, known_ip_type: str | None) -> str | None:
    """The consultation topic: the IP type pressed or named (in any words), or said earlier; when
    asked, «other» for words that name none (emoji alone are no answer)."""
    named = ip_type or topic_named(text)
    if asked:  # a question of its own («Zoomでできますか？») names no topic
        return named or ("other" if has_words(text) and not _QUESTION.search(normalize(text)) else None)
    return named or known_ip_type


def correction(field: str | None) -> dict[str, None] | None:
    """At the summary, a correction button empties its field (asked again) and the confirmation."""
    if field in SLOTS:
        return {field: None, "booking_confirmed": None}
    return None


CANCEL_SLOTS = ("cancel_number", "cancel_contact", "cancel_choice", "new_booking_slot", "cancel_confirmed")
_CHANGE_WISH = re.compile(r"変更|変え|かえ|ずら|移し|別の日|日にちを")
_CANCEL_WISH = re.compile(r"キャンセル|取り?消|とりけ|やめ|中止")


def cancel_wish(text: str) -> str | None:
    """The wish a message states: «change» (変えたい) or «cancel» (取り消したい), else ``None``."""
    text = normalize(text)
    if _CHANGE_WISH.search(text):
        return "change"
    return "cancel" if _CANCEL_WISH.search(text) else None


def cancel_questions(choice: str | None) -> tuple[str, ...]:
    """The cancel form's questions: the new slot only when the visitor moves the booking; nothing
    to confirm when no booking matched."""
    if choice == "not_found":
        return CANCEL_SLOTS[:3]
    if choice == "cancel":
        return tuple(s for s in CANCEL_SLOTS if s != "new_booking_slot")
    return CANCEL_SLOTS
