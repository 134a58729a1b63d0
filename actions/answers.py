"""Topic and program answers, built by the domain from sourced content."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.domain import in_session, latest_text, say, say_from
from bot.services import answers
from bot.services.nothing_pending import what_can_i_do

CONTACT_FORM = "contact_form"


class ActionAnswerTopic(Action):
    """FAQ answer for a topic question; an urgent matter also starts a hand-off."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        intent = tracker.latest_message.get("intent", {}).get("name", "")
        text = latest_text(tracker)
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
        ip_type = next(tracker.get_latest_entity_values("ip_type"), None)
        text = latest_text(tracker)
        await say_from(
            dispatcher, lambda s: answers.program_answer(s, tracker.sender_id, text, program, ip_type)
        )
        return []


class ActionNothingPending(Action):
    """A yes, a no or a bare answer when the bot asked nothing: the menu (a message whose data
    implies a flow was given its intent by the gateway, bot/reading/requests.py)."""

    def name(self) -> str:
        return "action_nothing_pending"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        say(dispatcher, what_can_i_do())
        return []
