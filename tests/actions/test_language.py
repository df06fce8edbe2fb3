"""The sticky conversation language: short messages never flip it, a clear run does."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import ValidationError
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.escalation_packet import escalation_packet
from actions.language import choose_language, conversation_language, requested_language
from actions.settings import get_settings
from actions.slot_mappings import ValidateSlotMappings
from tests.actions.trackers import make_tracker, parse_data, user_event


def det(code: str | None, reliable: bool = True, confidence: float = 0.95) -> dict[str, Any]:
    return {"code": code, "confidence": confidence, "reliable": reliable}


def message(text: str, intent: str, detection: dict[str, Any] | None) -> dict[str, Any]:
    if detection is None:
        return parse_data(text, intent, confidence=0.9)
    return parse_data(text, intent, confidence=0.9, language_detection=detection)


def tracker_with(
    messages: list[tuple[str, str, dict[str, Any] | None]], language: str | None
) -> Tracker:
    events: list[dict[str, Any]] = []
    for text, intent, detection in messages:
        events.append({"event": "action", "name": "action_listen"})
        events.append(user_event(message(text, intent, detection)))
    latest = events[-1]["parse_data"]
    return make_tracker(
        sender_id="lang-test", slots={"language": language}, latest=latest, events=events
    )


def choose(
    current: str | None,
    intent: str,
    text: str,
    detection: dict[str, Any] | None,
    earlier: list[dict[str, Any] | None],
) -> str:
    """choose_language for this Dutch brand."""
    return choose_language(current, intent, text, detection, earlier, default="nl")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("in English please", "en"),
        ("Nederlands graag", "nl"),
        ("can we speak Dutch?", "nl"),
        ("spreek je Engels?", "en"),
        ("ik spreek geen Engels", "nl"),
        ("I don't speak Dutch", "en"),
        ("andere taal graag", None),
    ],
)
def test_requested_language_reads_the_named_language(text: str, expected: str | None) -> None:
    assert requested_language(text) == expected


def test_first_message_sets_the_language_even_when_unsure() -> None:
    assert choose(None, "greet", "hoi", det("nl", reliable=False), []) == "nl"
    assert choose(None, "greet", "hello", det("en", reliable=False), []) == "en"


def test_no_evidence_at_all_starts_in_dutch() -> None:
    assert choose(None, "thank", "👍", det(None, reliable=False), []) == "nl"


@pytest.mark.parametrize("text", ["ok", "ja", "thanks", "👍", "Ravi jeans"])
def test_short_messages_never_flip(text: str) -> None:
    earlier = [det("en"), det("en")]
    for code in ("nl", "en", None):
        assert choose("en", "affirm", text, det(code, reliable=False), earlier) == "en"


def test_one_clear_message_in_the_other_language_does_not_flip() -> None:
    earlier = [det("nl"), det("nl")]
    assert choose("nl", "product_price", "how much is it", det("en"), earlier) == "nl"


def test_two_clear_messages_in_a_row_flip() -> None:
    earlier = [det("nl"), det("en")]
    chosen = choose("nl", "product_price", "and what does it cost", det("en"), earlier)
    assert chosen == "en"


def test_unreliable_messages_in_between_do_not_break_the_run() -> None:
    earlier = [det("nl"), det("en"), det("en", reliable=False)]
    assert choose("nl", "product_price", "what does it cost", det("en"), earlier) == "en"


def test_a_guess_is_replaced_by_the_first_clear_message() -> None:
    earlier = [det("en", reliable=False)]
    assert choose("en", "product_search", "ik zoek een trui", det("nl"), earlier) == "nl"


def test_change_language_switches_immediately() -> None:
    assert choose("nl", "change_language", "English please", det("en"), []) == "en"
    assert choose("en", "change_language", "Dutch please", det("en"), []) == "nl"
    # Naming no language toggles.
    assert choose("nl", "change_language", "andere taal", det("nl"), []) == "en"


async def test_action_sets_the_slot_only_when_it_changes() -> None:
    action = ValidateSlotMappings()
    dispatcher = CollectingDispatcher()
    tracker = tracker_with(
        [
            ("ik zoek een warme trui", "product_search", det("nl")),
            ("do you have it in red", "product_availability", det("en")),
            ("and what does it cost then", "product_price", det("en")),
        ],
        language="nl",
    )
    events = await action.run(dispatcher, tracker, {"slots": {"language": {"mappings": []}}})
    assert events == [SlotSet("language", "en")]
    assert dispatcher.messages == []

    unchanged = tracker_with(
        [
            ("ik zoek een warme trui", "product_search", det("nl")),
            ("ok", "affirm", det(None, False)),
        ],
        language="nl",
    )
    assert await action.run(dispatcher, unchanged, {"slots": {"language": {"mappings": []}}}) == []


async def test_messages_from_the_inbox_leave_the_language_alone() -> None:
    action = ValidateSlotMappings()
    tracker = tracker_with([("", "EXTERNAL_agent_message", None)], language="en")
    tracker.latest_message = {"intent": {"name": "EXTERNAL_agent_message"}, "text": None}
    assert await action.run(CollectingDispatcher(), tracker, {"slots": {}}) == []


@pytest.mark.parametrize("text", ["", None])
async def test_an_empty_first_message_is_answered_in_the_brand_language(text: str | None) -> None:
    action = ValidateSlotMappings()
    tracker = tracker_with([("", "nlu_fallback", None)], language=None)
    tracker.latest_message = {"intent": {"name": "nlu_fallback"}, "text": text, "no_words": True}
    events = await action.run(CollectingDispatcher(), tracker, {"slots": {}})
    assert events == [SlotSet("language", "nl")]
    # Once the conversation has a language, an empty message leaves it alone.
    later = tracker_with([("", "nlu_fallback", None)], language="en")
    later.latest_message = {"intent": {"name": "nlu_fallback"}, "text": text, "no_words": True}
    assert await action.run(CollectingDispatcher(), later, {"slots": {}}) == []


@pytest.fixture
def brand_default(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Configure BRAND_DEFAULT_LANGUAGE for one test (the settings are read once per process)."""

    def configure(language: str) -> None:
        monkeypatch.setenv("BRAND_DEFAULT_LANGUAGE", language)
        get_settings.cache_clear()

    yield configure
    monkeypatch.delenv("BRAND_DEFAULT_LANGUAGE", raising=False)
    get_settings.cache_clear()


@pytest.mark.parametrize("brand", ["nl", "en"])
async def test_every_action_answers_a_conversation_without_language_in_the_brand_default(
    brand_default: Callable[[str], None], brand: str
) -> None:
    brand_default(brand)
    unset = make_tracker(slots={"language": None})
    assert conversation_language(unset) == brand
    assert escalation_packet(unset, "fallback")["language"] == brand
    assert conversation_language(make_tracker(slots={"language": "nl"})) == "nl"
    # No evidence at all: the slot mapping starts the conversation in the brand's language.
    first = tracker_with([("👍", "thank", det(None, reliable=False))], None)
    events = await ValidateSlotMappings().run(
        CollectingDispatcher(), first, {"slots": {"language": {"mappings": []}}}
    )
    assert events == [SlotSet("language", brand)]


def test_an_unknown_brand_default_is_refused(brand_default: Callable[[str], None]) -> None:
    brand_default("de")
    with pytest.raises(ValidationError, match="must be one of nl, en"):
        get_settings()


@pytest.mark.parametrize("brand", ["nl", "en"])
@pytest.mark.parametrize(
    ("text", "detection", "expected"),
    [
        # What bot/language_rules.py detects for these first messages.
        ("hoi", det("nl", reliable=False, confidence=0.84), "nl"),
        ("goedemiddag", det("nl", reliable=False), "nl"),
        ("hello", det("en", reliable=False), "en"),
        ("good afternoon", det("en", reliable=False), "en"),
        ("hey", det(None, reliable=False, confidence=0.0), None),
        ("ok", det(None, reliable=False, confidence=0.0), None),
    ],
)
async def test_a_first_greeting_decides_the_language_and_an_ambiguous_one_the_brand(
    brand_default: Callable[[str], None],
    brand: str,
    text: str,
    detection: dict[str, Any],
    expected: str | None,
) -> None:
    brand_default(brand)
    first = tracker_with([(text, "greet", detection)], None)
    events = await ValidateSlotMappings().run(
        CollectingDispatcher(), first, {"slots": {"language": {"mappings": []}}}
    )
    assert events == [SlotSet("language", expected or brand)]
