"""`action_validate_slot_mappings`: what runs after every customer message.

Rasa calls it before predicting the answer. It keeps the sticky conversation language
(actions/language.py), queues a clarified message for the trainers
(actions/review_reports.py) and tells the inbox where the conversation stands, for
containment (actions/conversation_reports.py).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation_reports import ConversationReporter
from actions.domain_names import ACTION_VALIDATE_SLOT_MAPPINGS, SLOT_LANGUAGE
from actions.language import (
    DETECTION_KEY,
    brand_default_language,
    choose_language,
    conversation_language,
    user_detections,
)
from actions.review_reports import ReviewReporter

# The inbox's intents (trigger_intent): never the customer's words.
EXTERNAL_PREFIX = "EXTERNAL_"


class ValidateSlotMappings(ValidationAction):  # type: ignore[misc]
    """Fills the custom `language` slot after every customer message and reports clarifications."""

    def __init__(
        self,
        reviews: ReviewReporter | None = None,
        conversations: ConversationReporter | None = None,
    ) -> None:
        """The review and conversation reporters default to the configured inbox."""
        self._reviews = reviews
        self._conversations = conversations

    def name(self) -> str:
        """The action Rasa calls after each message to fill custom slots."""
        return ACTION_VALIDATE_SLOT_MAPPINGS

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Reports a clarification button just pressed, then fills the slots."""
        # Before the slots are filled: the report carries the language the message was read in.
        await (self._reviews or ReviewReporter()).report_clarification(tracker)
        events: list[EventType] = await super().run(dispatcher, tracker, domain)
        # After: the report carries the language this message was answered in.
        chosen = next(
            (e.get("value") for e in events
             if e.get("event") == "slot" and e.get("name") == SLOT_LANGUAGE),
            None,
        )
        language = str(chosen) if chosen else conversation_language(tracker)
        await (self._conversations or ConversationReporter()).report(tracker, language)
        return events

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Only the language is extracted here; forms validate their own slots."""
        return [SLOT_LANGUAGE]

    async def extract_language(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Keep or change the conversation language for the latest message."""
        latest = tracker.latest_message or {}
        current = tracker.get_slot(SLOT_LANGUAGE)
        if not latest.get("text"):
            # Intents sent through the HTTP API (the inbox) carry no customer words; an empty
            # first message gives no evidence, so it is answered in the brand's language.
            intent = str((latest.get("intent") or {}).get("name") or "")
            if current or intent.startswith(EXTERNAL_PREFIX):
                return {}
            return {SLOT_LANGUAGE: brand_default_language()}
        detections = user_detections(tracker)
        chosen = choose_language(
            current=current,
            intent=(latest.get("intent") or {}).get("name"),
            text=str(latest.get("text") or ""),
            detection=latest.get(DETECTION_KEY),
            earlier=detections[:-1],
            default=brand_default_language(),
        )
        return {} if chosen == current else {SLOT_LANGUAGE: chosen}
