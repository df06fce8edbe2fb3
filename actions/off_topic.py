"""`action_off_topic`: chit-chat, off-topic questions and messages the assistant did not get.

A ticket costs a colleague's time, so only these open one: an explicit request (human_handoff,
or "yes" to the colleague offered here; data/rules/escalation.yml), a complaint, a repeated
failure (two messages in a row not understood) and a shop question the assistant could not
answer (actions/understanding.py). Everything else gets what the assistant can help with and
a button to ask for a colleague.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.clarification import INTENT_LABELS
from actions.domain_names import (
    ACTION_ESCALATE,
    ACTION_OFF_TOPIC,
    INTENT_HUMAN_HANDOFF,
    UTTER_OFF_TOPIC,
)
from actions.language import conversation_language
from actions.understanding import is_shop_question, repeated_failure


def colleague_button(language: str) -> dict[str, str]:
    """The button that asks for a colleague, as an explicit request (reason human_handoff)."""
    return {
        "title": INTENT_LABELS[INTENT_HUMAN_HANDOFF][language],
        "payload": f"/{INTENT_HUMAN_HANDOFF}",
    }


def needs_a_colleague(tracker: Tracker) -> bool:
    """Whether this unanswered message is worth a ticket without the customer asking."""
    return repeated_failure(tracker) or is_shop_question(tracker.latest_message or {})


class ActionOffTopic(Action):  # type: ignore[misc]
    """Says what the assistant can help with and offers a colleague, or escalates."""

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_OFF_TOPIC

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Hands a shop question or a repeated failure over; otherwise offers the button."""
        if needs_a_colleague(tracker):
            return [FollowupAction(ACTION_ESCALATE)]
        language = conversation_language(tracker)
        dispatcher.utter_message(response=UTTER_OFF_TOPIC, buttons=[colleague_button(language)])
        return []
