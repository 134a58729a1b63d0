"""Topic and program answers, built by the domain from sourced content."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.domain import in_session, latest_text, say
from bot.services import answers
from bot.services.nothing_pending import implied_flow, what_can_i_do

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
        intent = tracker.latest_message.get("intent", {}).get("name", "")
        text = latest_text(tracker)
        if flow := answers.flow_asked(text):
            return [FollowupAction(FLOW_ACTIONS[flow])]
        answer = await in_session(
            dispatcher, lambda s: answers.answer_topic(s, tracker.sender_id, intent, text)
        )
        if answer is None:
            return []
        say(dispatcher, answer.messages)
        return [FollowupAction(CONTACT_FORM)] if answer.needs_contact else []


class ActionProgramInfo(Action):
    """The program the visitor means, or the programs to choose from."""

    def name(self) -> str:
        return "action_program_info"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        program = next(tracker.get_latest_entity_values("program"), None)
        text = latest_text(tracker)
        messages = await in_session(dispatcher, lambda s: answers.program_answer(s, text, program))
        say(dispatcher, messages or [])
        return []


class ActionNothingPending(Action):
    """A yes, a no or a bare answer when the bot asked nothing: the flow its data implies, or the menu."""

    def name(self) -> str:
        return "action_nothing_pending"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        flow = implied_flow(latest_text(tracker))
        if flow is None:
            say(dispatcher, what_can_i_do())
            return []
        return [FollowupAction(FLOW_ACTIONS[flow])]
