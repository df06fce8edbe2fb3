"""Conversation reports: what the action server tells the inbox after every customer message."""

from __future__ import annotations

from datetime import UTC, datetime

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.conversation_reports import ConversationReporter, conversation_report
from actions.inbox_client import InboxClient
from actions.review_reports import ReviewReporter
from actions.slot_mappings import ValidateSlotMappings
from inbox_api.conversations.models import BotConversation
from tests.actions.test_escalation import closed_port
from tests.actions.test_escalation_inbox import client_for, inbox, inbox_database  # noqa: F401
from tests.actions.trackers import make_tracker, parse_data, user_event
from tests.inbox_api.conftest import SERVICE_TOKEN, Inbox

DOMAIN = {"slots": {"language": {"mappings": []}}}
T0 = datetime(2026, 11, 25, 10, 0, tzinfo=UTC).timestamp()


def conversation(*messages: tuple[str, str], sender: str = "conv-42") -> Tracker:
    """A conversation on Messenger with these (text, intent) customer messages a minute apart."""
    events: list[dict[str, object]] = [{"event": "action", "name": "action_session_start"}]
    parsed = parse_data("")
    for minute, (text, intent) in enumerate(messages):
        parsed = parse_data(text, intent, language_detection={"code": "nl", "reliable": True})
        events += [
            {"event": "action", "name": "action_listen"},
            user_event(parsed, channel="facebook", timestamp=T0 + 60 * minute),
            {"event": "bot", "text": "..."},
        ]
    return make_tracker(sender_id=sender, slots={"language": "nl"}, latest=parsed, events=events)


def test_the_first_real_intent_the_turns_and_the_times() -> None:
    tracker = conversation(
        ("hoi", "greet"), ("wat kost de lina jurk", "product_price"),
        ("en waar is mijn bestelling", "order_status"),
    )
    report = conversation_report(tracker, "nl")
    assert report == {
        "channel": "facebook",
        "conversation_id": "conv-42",
        "language": "nl",
        "intent": "product_price",
        "turns": 3,
        "started_at": "2026-11-25T10:00:00+00:00",
        "last_message_at": "2026-11-25T10:02:00+00:00",
    }


def test_retrieval_intents_carry_their_topic_and_inbox_triggers_are_not_turns() -> None:
    tracker = conversation(("hallo", "greet"), ("wat kost verzenden", "faq"))
    faq = tracker.events[-2]["parse_data"]
    faq["response_selector"] = {
        "faq": {"response": {"intent_response_key": "faq/shipping_costs"}}
    }
    # The inbox's agent message arrives as a user event with an EXTERNAL_ intent.
    tracker.events.append(
        user_event(parse_data(None, "EXTERNAL_agent_message"), channel="facebook",
                   timestamp=T0 + 600)
    )
    report = conversation_report(tracker, "nl")
    assert report is not None
    assert (report["intent"], report["turns"]) == ("faq/shipping_costs", 2)
    assert report["last_message_at"] == "2026-11-25T10:01:00+00:00"
    only_greetings = conversation_report(conversation(("hoi", "greet"), ("bedankt", "thank")), "nl")
    assert only_greetings is not None and only_greetings["intent"] == "other"
    assert conversation_report(make_tracker(), "nl") is None


async def stored(running: Inbox) -> list[BotConversation]:
    async with running.runtime.sessions() as session:
        return list((await session.scalars(select(BotConversation))).all())


async def test_every_message_reaches_the_inbox(inbox: Inbox) -> None:  # noqa: F811
    reporter = ConversationReporter(client_for(inbox), timeout_seconds=30)
    action = ValidateSlotMappings(ReviewReporter(client_for(inbox)), reporter)
    first = conversation(("hoi", "greet"), sender="conv-report")
    second = conversation(("hoi", "greet"), ("wat kost de lina", "product_price"),
                          sender="conv-report")
    for tracker in (first, second):
        events = await action.run(CollectingDispatcher(), tracker, DOMAIN)
        assert events == []
    rows = [row for row in await stored(inbox) if row.conversation_id == "conv-report"]
    assert len(rows) == 1
    row = rows[0]
    assert (row.channel, row.language, row.intent, row.turns) == (
        "facebook", "nl", "product_price", 2)


async def test_the_reported_language_is_the_one_just_chosen(inbox: Inbox) -> None:  # noqa: F811
    tracker = conversation(("how much is the lina wrap dress", "product_price"),
                           sender="conv-english")
    tracker.latest_message["language_detection"] = {"code": "en", "confidence": 0.99,
                                                    "reliable": True}
    tracker.events[2]["parse_data"] = tracker.latest_message
    reporter = ConversationReporter(client_for(inbox), timeout_seconds=30)
    events = await ValidateSlotMappings(ReviewReporter(client_for(inbox)), reporter).run(
        CollectingDispatcher(), tracker, DOMAIN
    )
    assert events == [SlotSet("language", "en")]
    rows = [row for row in await stored(inbox) if row.conversation_id == "conv-english"]
    assert [row.language for row in rows] == ["en"]


async def test_an_unreachable_inbox_costs_the_report_not_the_answer() -> None:
    down = InboxClient(f"http://127.0.0.1:{closed_port()}", SERVICE_TOKEN, 1.0)
    reporter = ConversationReporter(down, timeout_seconds=1)
    assert await reporter.report(conversation(("hoi", "greet")), "nl") is False
    events = await ValidateSlotMappings(ReviewReporter(down), reporter).run(
        CollectingDispatcher(), conversation(("hoi", "greet")), DOMAIN
    )
    assert events == []
