"""Readings of the customer's messages: not understood, without words, about the shop.

Pure functions of the parse data Rasa sends; actions/off_topic.py and actions/clarification.py
decide with them whether a message is worth a colleague's time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker

from actions.domain_names import INTENT_NLU_FALLBACK

# Set by the NLU pipeline on a message without a letter or digit (bot/input_rules.py).
NO_WORDS_KEY = "no_words"

# Entities that only a question about this shop has (a city or a colour alone is not one:
# "what's the weather in Utrecht?").
SHOP_ENTITIES = frozenset({"product", "category", "order_number", "event"})

# Words that make a message about this shop's service, in either language. Kept to ones that
# have no everyday meaning outside a shop ("order a pizza" is not one; "my order" is).
_SHOP_WORDS = re.compile(
    r"\b("
    r"linde|webshop|your (?:shop|store|stores|website)|jullie (?:winkel|winkels|webshop|site)"
    r"|my orders?|mijn (?:bestelling|bestellingen|order|pakket|pakketje)|bestelling\w*|besteld"
    r"|deliver(?:y|ed)|shipping|levering|bezorg\w*|verzend\w*|track ?(?:&|and) ?trace"
    r"|returns?|retour\w*|refunds?|terugbetal\w*|geld terug|money back|ruilen|exchange (?:it|this)"
    r"|invoice|factuur|receipt|kassabon|gift ?cards?|cadeau(?:kaart|bon)\w*"
    r"|discount code|kortingscode\w*|promo ?code|newsletter|nieuwsbrief"
    r"|opening (?:hours|times)|openingstijden|klantenservice|customer service"
    r")\b",
    re.IGNORECASE,
)


def has_no_words(parse_data: Mapping[str, Any]) -> bool:
    """Whether the message was empty, only emoji or only punctuation."""
    return bool(parse_data.get(NO_WORDS_KEY))


def not_understood(parse_data: Mapping[str, Any] | None) -> bool:
    """Whether the assistant could not read a message that had words in it."""
    if not parse_data or has_no_words(parse_data):
        return False
    return (parse_data.get("intent") or {}).get("name") == INTENT_NLU_FALLBACK


def is_shop_question(parse_data: Mapping[str, Any]) -> bool:
    """Whether a message the assistant could not answer is about this shop after all."""
    entities = parse_data.get("entities") or []
    if any(entity.get("entity") in SHOP_ENTITIES for entity in entities):
        return True
    return bool(_SHOP_WORDS.search(str(parse_data.get("text") or "")))


def previous_customer_message(tracker: Tracker) -> dict[str, Any] | None:
    """The parse data of the customer's message before the latest one, if any."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        if seen_latest:
            parsed = event.get("parse_data")
            return dict(parsed) if isinstance(parsed, Mapping) else {}
        seen_latest = True
    return None


def repeated_failure(tracker: Tracker) -> bool:
    """Two messages in a row the assistant did not understand (the second is the latest)."""
    return not_understood(tracker.latest_message) and not_understood(
        previous_customer_message(tracker)
    )
