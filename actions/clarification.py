"""When the model hesitates between two intents, ask the customer which one they meant.

`action_clarify` runs on `nlu_fallback`. A message without words gets "I don't see any
words". If two intents share most of the confidence it offers both as buttons (plus
"neither"); otherwise, or when the message before was not understood either, the message
is simply not understood and `action_off_topic` decides between a colleague and an offer of one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.domain_names import (
    ACTION_CLARIFY,
    ACTION_OFF_TOPIC,
    DUTCH,
    ENGLISH,
    ENTITY_FAQ_TOPIC,
    INTENT_DENY,
    INTENT_FAQ,
    INTENT_NLU_FALLBACK,
    INTENT_OUT_OF_SCOPE,
    UTTER_CLARIFY,
    UTTER_NO_WORDS,
)
from actions.faq import asked_topic
from actions.language import conversation_language
from actions.understanding import has_no_words, repeated_failure

# Two candidates are worth asking about when together they hold most of the confidence.
MIN_COMBINED_CONFIDENCE = 0.6
MIN_SECOND_CONFIDENCE = 0.15

# Button titles, one per language; tests check every customer intent has both.
INTENT_LABELS: Mapping[str, Mapping[str, str]] = {
    "greet": {DUTCH: "Even hallo zeggen", ENGLISH: "Just saying hello"},
    "goodbye": {DUTCH: "Gedag zeggen", ENGLISH: "Saying goodbye"},
    "thank": {DUTCH: "Bedankt zeggen", ENGLISH: "Saying thanks"},
    "affirm": {DUTCH: "Ja", ENGLISH: "Yes"},
    "deny": {DUTCH: "Nee", ENGLISH: "No"},
    "bot_challenge": {
        DUTCH: "Ben ik met een bot aan het praten?",
        ENGLISH: "Am I talking to a bot?",
    },
    "help": {DUTCH: "Wat kun je voor me doen?", ENGLISH: "What can you do for me?"},
    "product_search": {DUTCH: "Een product zoeken", ENGLISH: "Find a product"},
    "product_availability": {
        DUTCH: "Is een product op voorraad?",
        ENGLISH: "Is a product in stock?",
    },
    "product_price": {DUTCH: "Wat kost een product?", ENGLISH: "What does a product cost?"},
    "product_details": {
        DUTCH: "Materiaal, pasvorm en verzorging",
        ENGLISH: "Material, fit and care",
    },
    "return_policy": {DUTCH: "Hoe werkt retourneren?", ENGLISH: "How do returns work?"},
    "return_start": {DUTCH: "Iets retourneren", ENGLISH: "Return an item"},
    "refund_status": {DUTCH: "Waar blijft mijn terugbetaling?", ENGLISH: "Where is my refund?"},
    "order_status": {DUTCH: "Waar is mijn bestelling?", ENGLISH: "Where is my order?"},
    "event_list": {DUTCH: "Welke events komen eraan?", ENGLISH: "Which events are coming up?"},
    "event_details": {DUTCH: "Meer over een event", ENGLISH: "More about an event"},
    "event_signup": {DUTCH: "Aanmelden voor een event", ENGLISH: "Sign up for an event"},
    "human_handoff": {DUTCH: "Een collega spreken", ENGLISH: "Talk to a colleague"},
    "complaint": {DUTCH: "Een klacht doorgeven", ENGLISH: "Make a complaint"},
    "change_language": {DUTCH: "Andere taal", ENGLISH: "Switch language"},
}
NEITHER_LABEL: Mapping[str, str] = {DUTCH: "Geen van beide", ENGLISH: "Neither"}


def clarification_candidates(ranking: Sequence[Mapping[str, Any]]) -> list[str]:
    """The two intents to offer, or [] when the message is simply not understood."""
    candidates = [
        item for item in ranking
        if item.get("name") not in (INTENT_NLU_FALLBACK, None)
    ]
    if len(candidates) < 2:
        return []
    first, second = candidates[0], candidates[1]
    names = [str(first["name"]), str(second["name"])]
    if INTENT_OUT_OF_SCOPE in names or any(name not in INTENT_LABELS for name in names):
        return []
    first_conf = float(first.get("confidence") or 0.0)
    second_conf = float(second.get("confidence") or 0.0)
    if first_conf + second_conf < MIN_COMBINED_CONFIDENCE or second_conf < MIN_SECOND_CONFIDENCE:
        return []
    return names


def button_payload(intent: str, entities: Sequence[Mapping[str, Any]]) -> str:
    """A payload that replays the intent with the entities the customer already gave."""
    values: dict[str, Any] = {}
    for entity in entities:
        name, value = entity.get("entity"), entity.get("value")
        if isinstance(name, str) and value is not None and name not in values:
            values[name] = value
    if not values:
        return f"/{intent}"
    return f"/{intent}{json.dumps(values, ensure_ascii=False)}"


class ActionClarify(Action):  # type: ignore[misc]
    """Asks which of two close intents the customer meant, or leaves it to action_off_topic."""

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_CLARIFY

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Offers both readings as buttons in the customer's language, or hands over."""
        latest = tracker.latest_message or {}
        if has_no_words(latest):
            # Nothing to read, nothing failed: ask again, never a ticket.
            dispatcher.utter_message(response=UTTER_NO_WORDS)
            return []
        candidates = clarification_candidates(latest.get("intent_ranking") or [])
        if not candidates or repeated_failure(tracker):
            return [FollowupAction(ACTION_OFF_TOPIC)]
        language = conversation_language(tracker)
        entities = list(latest.get("entities") or [])
        topic = asked_topic(latest)
        buttons = [
            {
                "title": INTENT_LABELS[intent][language],
                # The FAQ topic rides along, so the button's answer needs no second guess.
                "payload": button_payload(
                    intent,
                    [*entities, {"entity": ENTITY_FAQ_TOPIC, "value": topic}]
                    if intent == INTENT_FAQ and topic else entities,
                ),
            }
            for intent in candidates
        ]
        buttons.append({"title": NEITHER_LABEL[language], "payload": f"/{INTENT_DENY}"})
        dispatcher.utter_message(response=UTTER_CLARIFY, buttons=buttons)
        return []
