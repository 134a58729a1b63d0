"""Topic and program answers, built by the gateway from sourced content."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.gateway import exchange

CONTACT_FORM = "contact_form"
# The flows a yes/no/bare answer with nothing pending may lead to (bot/services/nothing_pending.py).
FLOW_ACTIONS = {"cancel": "cancel_form", "booking": "booking_form", "callback": "action_escalate"}


class ActionAnswerTopic(Action):
    """FAQ answer for a topic question; an urgent matter also starts a hand-off."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        message = tracker.latest_message
        payload = {
            "sender_id": tracker.sender_id,
            "intent": message.get("intent", {}).get("name", ""),
            "text": message.get("text") or "",
        }
        answer = await exchange(dispatcher, "/answers/topic", payload)
        return [FollowupAction(CONTACT_FORM)] if answer and answer.get("needs_contact") else []


class ActionProgramInfo(Action):
    """The program the visitor means, or the programs to choose from."""

    def name(self) -> str:
        return "action_program_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        payload = {
            "sender_id": tracker.sender_id,
            "text": tracker.latest_message.get("text") or "",
            "program": next(tracker.get_latest_entity_values("program"), None),
        }
        await exchange(dispatcher, "/answers/program", payload)
        return []


class ActionNothingPending(Action):
    """A yes, a no or a bare answer when the bot asked nothing: the flow its data implies, or the menu."""

    def name(self) -> str:
        return "action_nothing_pending"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        answer = await exchange(
            dispatcher, "/answers/nothing-pending", {"text": tracker.latest_message.get("text") or ""}
        )
        flow = (answer or {}).get("flow")
        return [FollowupAction(FLOW_ACTIONS[flow])] if flow in FLOW_ACTIONS else []
