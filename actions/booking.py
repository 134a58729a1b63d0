"""Booking and cancellation forms: the domain decides (bot/booking/dialogue.py); these actions
carry words back and forth."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.consent import clear_yes
from actions.domain import answers_question, in_session, latest_text, say, say_from
from bot.booking import dialogue, form
from bot.conversation.messages import BotMessage
from bot.core.config import get_settings
from bot.escalation.urgency import urgent_reason
from bot.forms.drafts import FILLED
from bot.reading.answers import is_clear_yes
from bot.reading.booking_number import read_booking_number
from bot.services import answers

# Slots a message may fill in passing, before they are asked (bot/booking/dialogue.in_passing).
MENTIONABLE = (
    "consultation_kind", "place", "booking_slot", "booking_contact", "company", "person_name", "booking_description"
)  # fmt: skip
UNREADABLE_NUMBER = (
    "予約番号を読み取れませんでした。予約番号は「CZ-」に続く英数字6文字です。もう一度入力してください。"
)


def form_slots(tracker: Tracker) -> dict[str, Any]:
    """The booking form's slots as Rasa holds them (typed answers as FILLED)."""
    return {name: tracker.get_slot(name) for name in form.SLOTS}


def latest_entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


class AskBookingChoice(Action):
    """Questions whose buttons come from the calendar (kinds, places, free slots)."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if self.slot in answered_this_turn(tracker):
            return []  # the validation read the answer and already said what is next
        text, slots = latest_text(tracker), form_slots(tracker)
        await say_from(dispatcher, lambda s: dialogue.ask(s, tracker.sender_id, self.slot, slots, text))
        return []


class AskBookingTopic(AskBookingChoice):
    slot = "booking_topic"


class AskConsultationKind(AskBookingChoice):
    slot = "consultation_kind"


class AskPlace(AskBookingChoice):
    slot = "place"


class AskBookingSlot(AskBookingChoice):
    slot = "booking_slot"


class AskBookingConfirmed(Action):
    """The summary to confirm or correct."""

    def name(self) -> str:
        return "action_ask_booking_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        slots = form_slots(tracker)
        await say_from(dispatcher, lambda s: dialogue.summary(s, tracker.sender_id, slots))
        return []


def answered_this_turn(tracker: Tracker) -> set[str]:
    """Slots whose answer the validation refused since the visitor's latest message, having
    said what comes next (slots near the day typed): their question is not asked again."""
    refused: set[str] = set()
    spoke = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            break
        spoke = spoke or kind == "bot"
        if kind == "slot" and event.get("value") is None:
            refused.add(event.get("name"))
    return refused if spoke else set()


async def checked(
    dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, value: Any
) -> dict[str, Any]:
    """Let the domain read the answer; ``None`` makes the form ask again."""
    text, entity = str(value or "")[:2000], latest_entity(tracker, slot)
    slots = form_slots(tracker)
    step = await in_session(
        dispatcher, lambda s: dialogue.check(s, tracker.sender_id, slot, text, entity, slots)
    )
    if step is None:
        return {slot: None}
    say(dispatcher, step.messages)
    return {slot: step.value}


def answer_and_choose(
    session: Session, sender_id: str, asked: str, text: str, intent: str | None
) -> tuple[str, list[BotMessage]] | None:
    """A question that also answers the choice asked («城東支援室を希望しますが、所在地は？»): the
    choice, and the question's answer (an urgent matter is left to the hand-off rules)."""
    chosen = dialogue.mentions(session, text).get(asked) if form.chooses(text) else None
    if chosen is None or urgent_reason(text):
        return None
    if intent == "ask_program":
        return chosen, answers.program_answer(session, sender_id, text, None)
    return chosen, answers.topic_answer(session, sender_id, intent or "", text)


def fills_a_slot(events: list[dict[str, Any]]) -> bool:
    return any(e.get("event") == "slot" and e.get("name") != "requested_slot" for e in events)


class ValidateBookingForm(FormValidationAction):
    def name(self) -> str:
        return "validate_booking_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return form.required(tracker.get_slot("booking_confirmed"))

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list:
        """Every turn of the form: a correction first («火曜じゃなくて金曜で»), then each question's
        reader; a message that answers nothing and does not leave is asked again with what the
        question expects (bot/booking/dialogue.unanswered), never dropped."""
        text, asked = latest_text(tracker)[:2000], tracker.get_slot("requested_slot")
        intent = tracker.latest_message.get("intent", {}).get("name")
        slots, sender = form_slots(tracker), tracker.sender_id
        fixed = None
        if asked == form.CHANGE:
            entity = latest_entity(tracker, "booking_change")
            fixed = await in_session(
                dispatcher, lambda s: dialogue.what_to_change(s, sender, text, entity, slots)
            )
        elif fix := dialogue.correction_for(text, slots, asked):
            fixed = await in_session(dispatcher, lambda s: dialogue.correct(s, sender, fix, slots))
        if fixed:
            values, messages = fixed
            say(dispatcher, messages)
            return [SlotSet(slot, value) for slot, value in values.items()]
        events = await super().run(dispatcher, tracker, domain)
        if not asked or fills_a_slot(events):
            return events
        if form.asks_something_else(text, intent) and asked in ("consultation_kind", "place"):
            both = await in_session(dispatcher, lambda s: answer_and_choose(s, sender, asked, text, intent))
            if both:
                say(dispatcher, both[1])
                return [*events, SlotSet(asked, both[0])]
        missed = await in_session(
            dispatcher, lambda s: dialogue.unanswered(s, sender, asked, text, intent, slots)
        )
        if missed is None:
            return events
        values, messages = missed
        say(dispatcher, messages)
        asked_next = [SlotSet("requested_slot", form.CHANGE)] if values.get(asked) == form.REFUSED else []
        return [*events, *(SlotSet(slot, value) for slot, value in values.items()), *asked_next]

    async def extract_booking_topic(self, dispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """The topic: the button pressed or words typed when asked, else the IP type said earlier."""
        if tracker.get_slot("booking_topic"):
            return {}
        topic = form.topic_for(
            asked=tracker.get_slot("requested_slot") == "booking_topic",
            text=latest_text(tracker),
            ip_type=latest_entity(tracker, "ip_type"),
            known_ip_type=tracker.get_slot("ip_type"),
        )
        return {"booking_topic": topic} if topic else {}

    async def extract_consultation_kind(self, dispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """What the latest message gives in passing for questions neither answered nor being asked:
        the kind and the place it names («秋葉原で、弁理士さんに»), the exact free slot it names, a
        contact it carries. One reading for all, so the others need no extractor of their own
        (bot/booking/dialogue.in_passing)."""
        open_slots = [
            slot
            for slot in MENTIONABLE
            if not tracker.get_slot(slot) and tracker.get_slot("requested_slot") != slot
        ]
        if not open_slots:
            return {}
        text = latest_text(tracker)[:2000]
        slots, starting = form_slots(tracker), tracker.get_slot("requested_slot") is None
        found = await in_session(
            dispatcher, lambda s: dialogue.in_passing(s, tracker.sender_id, text, open_slots, slots, starting)
        )
        return found or {}

    async def validate_consultation_kind(
        self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        return await checked(dispatcher, tracker, "consultation_kind", value)

    async def validate_place(self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        return await checked(dispatcher, tracker, "place", value)

    async def validate_booking_slot(
        self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        return await checked(dispatcher, tracker, "booking_slot", value)

    async def read_typed(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
        """A typed answer, read by its question's reader and kept in the form's draft; Rasa's slots
        get FILLED (or None: asked again). Not an answer (a question of its own): left alone."""
        text, slots = latest_text(tracker)[:2000], form_slots(tracker)
        intent = tracker.latest_message.get("intent", {}).get("name")
        if tracker.get_slot("requested_slot") != slot or not form.is_answer(slot, text, intent):
            return {}
        result = await in_session(
            dispatcher, lambda s: dialogue.read_answer(s, tracker.sender_id, slot, text, slots)
        )
        if result is None:
            return {slot: None}
        values, messages = result
        say(dispatcher, messages)
        return values

    async def validate_booking_consent(
        self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        return {"booking_consent": value if clear_yes(dispatcher, tracker) else None}

    async def validate_booking_confirmed(
        self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        """At the summary, a correction button empties the field to ask it again."""
        emptied = form.correction(latest_entity(tracker, "booking_change"))
        if emptied is not None:
            return emptied
        return {"booking_confirmed": value if clear_yes(dispatcher, tracker) else None}


def _typed_answer(slot: str):
    async def extract(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        return await self.read_typed(slot, dispatcher, tracker)

    extract.__doc__ = f"The typed answer to {slot} (its reader is declared in bot/booking/form.py)."
    return extract


# rasa-sdk reads a slot by the form's ``extract_<slot>`` method: one for each typed question declared.
for _question in form.QUESTIONS:
    if _question.personal:
        setattr(ValidateBookingForm, f"extract_{_question.slot}", _typed_answer(_question.slot))


class ActionSubmitBooking(Action):
    def name(self) -> str:
        return "action_submit_booking"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        slots, base_url = form_slots(tracker), get_settings().public_url.rstrip("/")
        result = await in_session(
            dispatcher, lambda s: dialogue.submit(s, slots, tracker.sender_id, base_url)
        )
        if result is None:
            return []
        booked, messages = result
        say(dispatcher, messages)
        if booked:
            return [SlotSet(slot, None) for slot in form.SLOTS]
        # The slot was taken meanwhile: choose another, then confirm again.
        return [
            SlotSet("booking_slot", None),
            SlotSet("booking_confirmed", None),
            FollowupAction(form.FORM),
        ]


class ActionBookingStopped(Action):
    def name(self) -> str:
        return "action_booking_stopped"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        await in_session(dispatcher, lambda s: dialogue.stop(s, tracker.sender_id))
        dispatcher.utter_message(response="utter_booking_stopped")
        return [SlotSet(slot, None) for slot in (*form.SLOTS, *form.CANCEL_SLOTS)]


def cancel_state(tracker: Tracker) -> dict[str, Any]:
    return {
        "number": tracker.get_slot("cancel_number") or "",
        "choice": tracker.get_slot("cancel_choice") or "cancel",
        "new_slot": tracker.get_slot("new_booking_slot"),
    }


class ValidateCancelForm(FormValidationAction):
    """Number and contact first (checked together, with no hint which was wrong)."""

    def name(self) -> str:
        return "validate_cancel_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return list(form.cancel_questions(tracker.get_slot("cancel_choice")))

    async def extract_cancel_number(self, dispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """A number already in the request (「予約番号CZ-…をキャンセルしたい」) need not be asked for;
        nor, when the request starts the form, the one booking this conversation made («さっきの予約»)."""
        if tracker.get_slot("cancel_number") or tracker.get_slot("requested_slot") == "cancel_number":
            return {}
        if number := read_booking_number(latest_text(tracker)):
            return {"cancel_number": number}
        if tracker.get_slot("requested_slot") is not None:
            return {}
        own = await in_session(dispatcher, lambda s: dialogue.own_booking(s, tracker.sender_id))
        return {"cancel_number": own, "cancel_contact": FILLED} if own else {}

    async def extract_cancel_choice(self, dispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """The wish stated in words (変えたい, 取り消したい), in the request or when asked."""
        if tracker.get_slot("cancel_choice") or latest_entity(tracker, "cancel_choice"):
            return {}
        wish = form.cancel_wish(latest_text(tracker))
        return {"cancel_choice": wish} if wish else {}

    async def extract_new_booking_slot(self, dispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """A new day and time named with the wish to change, before the question: remembered, and
        the slot when it is exact and free (bot/booking/dialogue.new_slot_in_passing)."""
        if tracker.get_slot("new_booking_slot") or tracker.get_slot("requested_slot") == "new_booking_slot":
            return {}
        text = latest_text(tracker)[:2000]
        if (tracker.get_slot("cancel_choice") or form.cancel_wish(text)) != "change":
            return {}
        number = tracker.get_slot("cancel_number") or read_booking_number(text)
        found = await in_session(
            dispatcher,
            lambda s: dialogue.new_slot_in_passing(
                s, tracker.sender_id, number or dialogue.own_booking(s, tracker.sender_id), text
            ),
        )
        return {"new_booking_slot": found} if found else {}

    async def extract_cancel_confirmed(self, dispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """One plain yes after the summary of what will be done; a no stops (the form's rule)."""
        if tracker.get_slot("requested_slot") != "cancel_confirmed":
            return {}
        return {"cancel_confirmed": "yes"} if is_clear_yes(latest_text(tracker)) else {}

    async def validate_cancel_number(
        self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        number = read_booking_number(str(value or ""))
        if number is None:
            dispatcher.utter_message(text=UNREADABLE_NUMBER)
        return {"cancel_number": number}

    async def extract_cancel_contact(self, dispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """The phone or e-mail given with the booking, kept in the cancel form's draft."""
        if not answers_question(tracker, "cancel_contact", ("deny", "request_human")):
            return {}
        number, contact = cancel_state(tracker)["number"], latest_text(tracker)[:2000]
        found = await in_session(
            dispatcher, lambda s: dialogue.check_cancel_contact(s, tracker.sender_id, number, contact)
        )
        if found is None:
            return {"cancel_contact": None}
        if found:
            return {"cancel_contact": FILLED}
        return {"cancel_contact": FILLED, "cancel_choice": "not_found"}

    async def validate_new_booking_slot(
        self, value: Any, dispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        state, text = cancel_state(tracker), str(value or "")[:2000]
        entity = latest_entity(tracker, "booking_slot")
        step = await in_session(
            dispatcher,
            lambda s: dialogue.check_new_slot(s, tracker.sender_id, state["number"], text, entity),
        )
        if step is None:
            return {"new_booking_slot": None}
        say(dispatcher, step.messages)
        return {"new_booking_slot": step.value}


class AskNewBookingSlot(Action):
    def name(self) -> str:
        return "action_ask_new_booking_slot"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        if "new_booking_slot" in answered_this_turn(tracker):
            return []  # the validation read the answer and already offered slots near it
        state = cancel_state(tracker)
        await say_from(dispatcher, lambda s: dialogue.ask_new_slot(s, tracker.sender_id, state["number"]))
        return []


class AskCancelChoice(Action):
    """The booking found, and whether to cancel or change it."""

    def name(self) -> str:
        return "action_ask_cancel_choice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        number = cancel_state(tracker)["number"]
        await say_from(dispatcher, lambda s: dialogue.ask_cancel_choice(s, tracker.sender_id, number))
        return []


class AskCancelConfirmed(Action):
    """The booking found and what will be done, to confirm with one yes."""

    def name(self) -> str:
        return "action_ask_cancel_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        state = cancel_state(tracker)
        await say_from(
            dispatcher,
            lambda s: dialogue.cancel_summary(
                s, tracker.sender_id, state["number"], state["choice"], state["new_slot"]
            ),
        )
        return []


class ActionFinishCancel(Action):
    def name(self) -> str:
        return "action_finish_cancel"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        state = cancel_state(tracker)
        await say_from(
            dispatcher,
            lambda s: dialogue.cancel_or_change(
                s, tracker.sender_id, state["number"], state["choice"], state["new_slot"]
            ),
        )
        return [SlotSet(slot, None) for slot in form.CANCEL_SLOTS]
