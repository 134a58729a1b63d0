"""The booking form, declared once: its questions in order, which answers are personal (kept in
the form's draft, bot/forms/drafts.py, never in Rasa's slots) and which intents leave a question
unanswered (the visitor asked something else; the form resumes after the answer).

``domain.yml``'s ``booking_form.required_slots`` follows this order (a unit test keeps them in step).
"""

from __future__ import annotations

from dataclasses import dataclass

FORM = "booking_form"
# Intents that are no answer to a free-text question: the visitor asks or wants something else.
TOPIC_QUESTIONS = frozenset(
    {"ask_patent", "ask_design", "ask_trademark", "ask_copyright", "ask_trade_secret", "ask_contract",
     "ask_infringement", "ask_program", "ask_center_info"}
)  # fmt: skip
LEAVING = frozenset({"deny", "request_human", "cancel_consultation"})


@dataclass(frozen=True)
class Question:
    slot: str
    personal: bool = False
    not_an_answer: frozenset[str] = LEAVING | TOPIC_QUESTIONS


QUESTIONS = (
    Question("booking_topic"),
    Question("consultation_kind"),
    Question("place"),
    Question("booking_slot"),
    Question("company", personal=True),
    Question("person_name", personal=True),
    Question("booking_contact", personal=True),
    # A description may well name a topic («商標の出願について»): only leaving is no answer.
    Question("booking_description", personal=True, not_an_answer=LEAVING),
    Question("booking_consent"),
    Question("booking_confirmed"),
)
SLOTS = tuple(q.slot for q in QUESTIONS)
PERSONAL = tuple(q.slot for q in QUESTIONS if q.personal)


def question(slot: str) -> Question:
    return next(q for q in QUESTIONS if q.slot == slot)


def topic_for(asked: bool, typed_words: bool, ip_type: str | None, known_ip_type: str | None) -> str | None:
    """The consultation topic: when asked, the IP type pressed or named, else «other» for words
    that name none (emoji alone are no answer); when not asked yet, the IP type said earlier."""
    if asked:
        return ip_type or ("other" if typed_words else None)
    return known_ip_type


def correction(field: str | None) -> dict[str, None] | None:
    """At the summary, a correction button empties its field (asked again) and the confirmation."""
    if field in SLOTS:
        return {field: None, "booking_confirmed": None}
    return None


CANCEL_SLOTS = ("cancel_number", "cancel_contact", "cancel_choice", "new_booking_slot")


def cancel_questions(choice: str | None) -> tuple[str, ...]:
    """The cancel form's questions: the new slot only when the visitor moves the booking."""
    if choice in ("cancel", "not_found"):
        return tuple(s for s in CANCEL_SLOTS if s != "new_booking_slot")
    return CANCEL_SLOTS
