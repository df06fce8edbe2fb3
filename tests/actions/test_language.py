"""The sticky conversation language: short messages never flip it, a clear run does."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.language import choose_language, requested_language
from actions.slot_mappings import ValidateSlotMappings


def det(code: str | None, reliable: bool = True, confidence: float = 0.95) -> dict[str, Any]:
    return {"code": code, "confidence": confidence, "reliable": reliable}


def user_event(text: str, intent: str, detection: dict[str, Any] | None) -> dict[str, Any]:
    parse_data: dict[str, Any] = {"text": text, "intent": {"name": intent, "confidence": 0.9}}
    if detection is not None:
        parse_data["language_detection"] = detection
    return {"event": "user", "text": text, "parse_data": parse_data}


def tracker_with(
    messages: list[tuple[str, str, dict[str, Any] | None]], language: str | None
) -> Tracker:
    events: list[dict[str, Any]] = []
    for text, intent, detection in messages:
        events.append({"event": "action", "name": "action_listen"})
        events.append(user_event(text, intent, detection))
    latest = events[-1]["parse_data"]
    return Tracker(
        sender_id="lang-test",
        slots={"language": language},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


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
    assert choose_language(None, "greet", "hoi", det("nl", reliable=False), []) == "nl"
    assert choose_language(None, "greet", "hello", det("en", reliable=False), []) == "en"


def test_no_evidence_at_all_starts_in_dutch() -> None:
    assert choose_language(None, "thank", "👍", det(None, reliable=False), []) == "nl"


@pytest.mark.parametrize("text", ["ok", "ja", "thanks", "👍", "Ravi jeans"])
def test_short_messages_never_flip(text: str) -> None:
    earlier = [det("en"), det("en")]
    for code in ("nl", "en", None):
        assert choose_language("en", "affirm", text, det(code, reliable=False), earlier) == "en"


def test_one_clear_message_in_the_other_language_does_not_flip() -> None:
    earlier = [det("nl"), det("nl")]
    assert choose_language("nl", "product_price", "how much is it", det("en"), earlier) == "nl"


def test_two_clear_messages_in_a_row_flip() -> None:
    earlier = [det("nl"), det("en")]
    chosen = choose_language("nl", "product_price", "and what does it cost", det("en"), earlier)
    assert chosen == "en"


def test_unreliable_messages_in_between_do_not_break_the_run() -> None:
    earlier = [det("nl"), det("en"), det("en", reliable=False)]
    assert choose_language("nl", "product_price", "what does it cost", det("en"), earlier) == "en"


def test_a_guess_is_replaced_by_the_first_clear_message() -> None:
    earlier = [det("en", reliable=False)]
    assert choose_language("en", "product_search", "ik zoek een trui", det("nl"), earlier) == "nl"


def test_change_language_switches_immediately() -> None:
    assert choose_language("nl", "change_language", "English please", det("en"), []) == "en"
    assert choose_language("en", "change_language", "Dutch please", det("en"), []) == "nl"
    # Naming no language toggles.
    assert choose_language("nl", "change_language", "andere taal", det("nl"), []) == "en"


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
