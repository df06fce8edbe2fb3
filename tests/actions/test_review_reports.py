"""Clarified messages reach the trainers' review queue without ever holding up the answer."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.inbox_client import InboxClient
from actions.review_reports import ReviewReporter, clarified_report
from actions.slot_mappings import ValidateSlotMappings
from tests.actions.test_escalation import TOKEN, RecordingInbox, closed_port
from tests.actions.trackers import make_tracker, parse_data, user_event

AMBIGUOUS = "kan ik die ravi nog terugsturen"
RANKING = [
    {"name": "nlu_fallback", "confidence": 0.45},
    {"name": "return_policy", "confidence": 0.44},
    {"name": "return_start", "confidence": 0.38},
    {"name": "refund_status", "confidence": 0.1},
]
DOMAIN: dict[str, Any] = {"slots": {"language": {"mappings": []}}}


def clarified_tracker(
    answer: str = '/return_start{"product": "Ravi jeans"}',
    answer_intent: str = "return_start",
    *,
    clarified: bool = True,
    language: str = "nl",
    answer_detection: dict[str, Any] | None = None,
) -> Tracker:
    """A conversation where `action_clarify` offered buttons and the customer answered."""
    original = parse_data(
        AMBIGUOUS,
        "nlu_fallback",
        confidence=0.45,
        ranking=RANKING,
        entities=[{"entity": "product", "value": "Ravi jeans"}],
        language_detection={"code": "nl", "confidence": 0.97, "reliable": True},
    )
    latest = parse_data(answer, answer_intent, ranking=[{"name": answer_intent, "confidence": 1.0}])
    if answer_detection is not None:
        latest["language_detection"] = answer_detection
    reply = (
        [{"event": "action", "name": "action_clarify"},
         {"event": "bot", "text": "Bedoel je:", "data": {"buttons": []}}]
        if clarified
        else [{"event": "action", "name": "action_return_policy"},
              {"event": "bot", "text": "Je kunt binnen 30 dagen retourneren."}]
    )
    events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "action", "name": "action_listen"},
        user_event(original, channel="socketio"),
        {"event": "action", "name": "action_extract_slots"},
        *reply,
        {"event": "action", "name": "action_listen"},
        user_event(latest, channel="socketio"),
    ]
    return make_tracker(
        sender_id="conv-7",
        slots={"language": language, "human_owned": False},
        latest=latest,
        events=events,
    )


def switching_to_english() -> Tracker:
    """A Dutch conversation whose ambiguous message and button press both read as English."""
    english = {"code": "en", "confidence": 0.97, "reliable": True}
    tracker = clarified_tracker(answer_detection=english)
    tracker.events[2]["parse_data"]["language_detection"] = english
    return tracker


def slot_mappings(inbox: InboxClient) -> ValidateSlotMappings:
    return ValidateSlotMappings(ReviewReporter(inbox, timeout_seconds=0.5))


async def test_a_picked_button_queues_the_ambiguous_message_as_clarified() -> None:
    inbox = RecordingInbox(status=201, body={"id": 1})
    dispatcher = CollectingDispatcher()
    events = await slot_mappings(inbox.client()).run(dispatcher, clarified_tracker(), DOMAIN)

    assert events == []
    assert dispatcher.messages == []
    request = inbox.requests[0]
    assert request.url == "http://inbox.test/api/v1/review/reports"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert inbox.packet() == {
        "language": "nl",
        # The conversation, so erasing the customer in the inbox removes the report too.
        "channel": "socketio",
        "conversation_id": "conv-7",
        "source": "clarified",
        "text": AMBIGUOUS,
        "intents": [
            {"name": "return_policy", "confidence": 0.44},
            {"name": "return_start", "confidence": 0.38},
            {"name": "refund_status", "confidence": 0.1},
        ],
    }


async def test_the_report_carries_the_language_the_message_was_answered_in() -> None:
    inbox = RecordingInbox(status=201, body={"id": 1})
    await slot_mappings(inbox.client()).run(
        CollectingDispatcher(), clarified_tracker(language="en"), DOMAIN
    )
    assert inbox.packet()["language"] == "en"


@pytest.mark.parametrize(
    ("tracker", "why"),
    [
        (clarified_tracker("/deny", "deny"), "neither: action_escalate queues it"),
        (clarified_tracker("de tweede", "return_start"), "typed words, not a button"),
        (clarified_tracker(clarified=False), "a payload that answers no clarification"),
        (clarified_tracker("/greet", "greet"), "an intent that was not offered"),
    ],
)
async def test_only_a_pick_among_the_offered_readings_is_reported(
    tracker: Tracker, why: str
) -> None:
    inbox = RecordingInbox(status=201, body={"id": 1})
    assert clarified_report(tracker) is None, why
    await slot_mappings(inbox.client()).run(CollectingDispatcher(), tracker, DOMAIN)
    assert inbox.requests == [], why


async def test_inbox_down_changes_nothing_for_the_customer(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Two clear English messages in a row: the language still flips with the inbox down.
    tracker_up, tracker_down = switching_to_english(), switching_to_english()
    up = RecordingInbox(status=201, body={"id": 1})
    down = InboxClient(f"http://127.0.0.1:{closed_port()}", TOKEN, 0.5)

    seen_up, seen_down = CollectingDispatcher(), CollectingDispatcher()
    events_up = await slot_mappings(up.client()).run(seen_up, tracker_up, DOMAIN)
    events_down = await slot_mappings(down).run(seen_down, tracker_down, DOMAIN)

    assert events_down == events_up == [SlotSet("language", "en")]
    assert seen_down.messages == seen_up.messages == []
    assert "review report for conversation conv-7 not sent" in caplog.text
    assert AMBIGUOUS not in caplog.text
    assert TOKEN not in caplog.text


@pytest.mark.parametrize("status", [401, 422, 500])
async def test_inbox_refusing_the_report_is_logged_not_raised(
    status: int, caplog: pytest.LogCaptureFixture
) -> None:
    inbox = RecordingInbox(status=status, body={"detail": "no"})
    assert not await ReviewReporter(inbox.client()).report_clarification(clarified_tracker())
    assert f"HTTP {status}" in caplog.text


async def test_a_slow_inbox_does_not_hold_up_the_answer(caplog: pytest.LogCaptureFixture) -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(201, json={"id": 1})

    # The client's own timeout is generous; the report's budget still bounds the wait.
    client = InboxClient("http://inbox.test", TOKEN, 30.0, httpx.MockTransport(slow))
    started = time.monotonic()
    events = await ValidateSlotMappings(ReviewReporter(client, timeout_seconds=0.2)).run(
        CollectingDispatcher(), clarified_tracker(), DOMAIN
    )
    assert time.monotonic() - started < 2
    assert events == []
    assert "not sent (inbox too slow)" in caplog.text


async def test_the_language_is_still_set_after_a_report() -> None:
    inbox = RecordingInbox(status=201, body={"id": 1})
    events = await slot_mappings(inbox.client()).run(
        CollectingDispatcher(), switching_to_english(), DOMAIN
    )
    assert events == [SlotSet("language", "en")]
    assert inbox.packet()["language"] == "nl"
