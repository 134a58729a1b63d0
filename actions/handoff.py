"""Hand-offs to staff: the escalation itself, the fallback count, and the contact form."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.consent import NOT_A_CLEAR_YES
from actions.domain import answers_question, in_session, latest_text, say, say_from
from bot.escalation.service import (
    call_back_answer,
    fallbacks_hand_off,
    give_contact,
    hand_off,
    keep_contact_answer,
)
from bot.reading.contact import parse_contact
from bot.services import answers

CONTACT_FORM = "contact_form"
CONTACT_SLOTS = ("contact_consent", "contact_name", "contact_detail")
INVALID_CONTACT = (
    "電話番号またはメールアドレスとして確認できませんでした。"
    "お手数ですが、もう一度入力してください(電話番号はハイフンあり・なし、どちらでも結構です)。"
)


async def escalate(dispatcher: CollectingDispatcher, tracker: Tracker, reason: str) -> list[dict[str, Any]]:
    text = latest_text(tracker)
    handoff = await in_session(dispatcher, lambda s: hand_off(s, tracker.sender_id, reason, text))
    if handoff is None:
        return []
    say(dispatcher, handoff.messages)
    return [FollowupAction(CONTACT_FORM)] if handoff.needs_contact else []


class ActionEscalate(Action):
    """The visitor asked for a person."""

    def name(self) -> str:
        return "action_escalate"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        return await escalate(dispatcher, tracker, "requested_human")


class ActionHandleFallback(Action):
    """Ask to rephrase, or hand off after repeated misunderstandings (bot/escalation/service.py)."""

    def name(self) -> str:
        return "action_handle_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intents = [
            (event.get("parse_data") or {}).get("intent", {}).get("name")
            for event in tracker.events
            if event.get("event") == "user"
        ]
        if not tracker.active_loop_name:
            text = latest_text(tracker)
            answer = await in_session(
                dispatcher, lambda s: answers.misunderstood_answer(s, tracker.sender_id, text)
            )
            if answer:
                say(dispatcher, answer)
                return []
        if fallbacks_hand_off(intents, in_form=bool(tracker.active_loop_name)):
            return await escalate(dispatcher, tracker, "repeated_fallback")
        dispatcher.utter_message(response="utter_clarify")
        return []


# A no leaves the contact form's questions unanswered (the visitor declines).
NOT_AN_ANSWER = ("deny",)


async def kept(
    dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, value: str | None
) -> dict[str, str | None]:
    """The answer goes to the contact form's draft; Rasa's slot gets FILLED (or None: ask again)."""
    filled = await in_session(dispatcher, lambda s: keep_contact_answer(s, tracker.sender_id, slot, value))
    return {slot: filled}


class ValidateContactForm(FormValidationAction):
    """Consent first; name and contact only when the visitor agreed, kept in the form's draft
    (bot/forms/drafts.py), never in Rasa's slots."""

    def name(self) -> str:
        return "validate_contact_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if tracker.get_slot("contact_consent") is False:
            return ["contact_consent"]
        return domain_slots

    async def extract_contact_consent(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A call back wished for in words («ほな折り返しで頼むわ»), or by typing the name or the
        contact at once (then kept as their answers); a refusal in words."""
        if tracker.get_slot("requested_slot") != "contact_consent":
            return {}
        consent, name, contact = call_back_answer(latest_text(tracker)[:2000])
        if not consent:
            return {} if consent is None else {"contact_consent": False}
        found: dict[str, Any] = {"contact_consent": True}
        if name:
            found.update(await kept(dispatcher, tracker, "contact_name", name))
        if contact:
            found.update(await kept(dispatcher, tracker, "contact_detail", str(contact)))
        return found

    async def validate_contact_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, bool | None]:
        if value is True and not call_back_answer(latest_text(tracker)[:2000])[0]:
            dispatcher.utter_message(text=NOT_A_CLEAR_YES)  # a hesitation read as a yes
            return {"contact_consent": None}
        return {"contact_consent": value}

    async def extract_contact_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, str | None]:
        """The name, and a phone number or e-mail typed with it, kept as its answer too."""
        if not answers_question(tracker, "contact_name", NOT_AN_ANSWER):
            return {}
        text = latest_text(tracker)[:2000]
        _, name, contact = call_back_answer(text)
        found = await kept(dispatcher, tracker, "contact_name", name or text[:100] or None)
        if contact:
            found.update(await kept(dispatcher, tracker, "contact_detail", str(contact)))
        return found

    async def extract_contact_detail(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, str | None]:
        if not answers_question(tracker, "contact_detail", NOT_AN_ANSWER):
            return {}
        contact = parse_contact(latest_text(tracker)[:2000])
        if contact is None:
            dispatcher.utter_message(text=INVALID_CONTACT)
            return {"contact_detail": None}
        return await kept(dispatcher, tracker, "contact_detail", str(contact))


class ActionFinishHandoff(Action):
    """Store the contact (or the refusal) with the escalation, which pauses the bot for staff."""

    def name(self) -> str:
        return "action_finish_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        consent = bool(tracker.get_slot("contact_consent"))
        await say_from(dispatcher, lambda s: give_contact(s, tracker.sender_id, consent))
        return [SlotSet(slot, None) for slot in CONTACT_SLOTS]
