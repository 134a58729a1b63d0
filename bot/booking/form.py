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
