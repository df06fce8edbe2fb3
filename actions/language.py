"""The sticky conversation language: the `language` slot, updated after every message.

The Rasa server tags each message with `language_detection` (bot/language_detection.py).
One short or mixed message never flips the language; `change_language` or two clear
messages in a row in the other language do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import Tracker

from actions.domain_names import (
    DUTCH,
    ENGLISH,
    INTENT_CHANGE_LANGUAGE,
    LANGUAGES,
    SLOT_LANGUAGE,
)
from actions.settings import get_settings

DETECTION_KEY = "language_detection"

_NAMES_ENGLISH = re.compile(r"\b(english|engels|engelse|inglés|anglais|eng)\b", re.IGNORECASE)
_NAMES_DUTCH = re.compile(
    r"\b(dutch|nederlands|nederlandse|nl|vlaams|hollands|néerlandais)\b", re.IGNORECASE
)

Detection = Mapping[str, Any]


_NEGATION = re.compile(
    r"\b(don'?t|do not|doesn'?t|can'?t|cannot|no|not|geen|niet|nie)\b", re.IGNORECASE
)


def requested_language(text: str) -> str | None:
    """The language a change_language message asks for, if it names exactly one."""
    english, dutch = bool(_NAMES_ENGLISH.search(text)), bool(_NAMES_DUTCH.search(text))
    if english == dutch:
        return None
    named = ENGLISH if english else DUTCH
    # "I don't speak Dutch" / "ik spreek geen Engels" ask for the other language.
    return other_language(named) if _NEGATION.search(text) else named


def brand_default_language() -> str:
    """The language of a conversation with no evidence at all (the configured brand default)."""
    return get_settings().brand_default_language


def other_language(language: str) -> str:
    """Dutch for English and English for Dutch."""
    return ENGLISH if language == DUTCH else DUTCH


def choose_language(
    current: str | None,
    intent: str | None,
    text: str,
    detection: Detection | None,
    earlier: Sequence[Detection | None],
    *,
    default: str,
) -> str:
    """The conversation language after this message; `earlier` holds previous detections."""
    current = current if current in LANGUAGES else None
    if intent == INTENT_CHANGE_LANGUAGE:
        named = requested_language(text)
        if named is not None:
            return named
        return other_language(current or default)
    code = detection.get("code") if detection else None
    if code not in LANGUAGES:
        return current or default
    if current is None:
        return str(code)
    if code == current or not (detection and detection.get("reliable")):
        return current
    previous_reliable = [d for d in earlier if d and d.get("reliable") and d.get("code")]
    if not previous_reliable:
        # The language so far rested on guesses ("hi", "ok"): the first clear message decides.
        return str(code)
    if previous_reliable[-1].get("code") == code:
        return str(code)
    return current


def user_detections(tracker: Tracker) -> list[Detection | None]:
    """The language detection of every customer message so far, oldest first."""
    detections: list[Detection | None] = []
    for event in tracker.events:
        if event.get("event") != "user":
            continue
        parse_data = event.get("parse_data") or {}
        detections.append(parse_data.get(DETECTION_KEY))
    return detections


def conversation_language(tracker: Tracker) -> str:
    """The language to answer in: the `language` slot, else the brand default.

    The one rule for every action: before it, catalogue answers fell back to English while
    escalations and clarifications fell back to Dutch in the same conversation.
    """
    value = tracker.get_slot(SLOT_LANGUAGE)
    return str(value) if value in LANGUAGES else brand_default_language()
