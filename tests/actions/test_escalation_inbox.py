"""Escalation and review reports against the real inbox API (its app, migrations, database)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.escalation import ActionEscalate, ActionForwardToInbox
from actions.inbox_client import InboxClient
from actions.review_reports import ReviewReporter
from actions.slot_mappings import ValidateSlotMappings
from inbox_api.migrate import upgrade_head
from inbox_api.nlu_review.models import ReviewItem
from inbox_api.tickets.models import Message, Ticket
from tests.actions.test_escalation import closed_port, escalation_tracker
from tests.actions.test_review_reports import AMBIGUOUS, DOMAIN, switching_to_english
from tests.inbox_api.conftest import SERVICE_TOKEN, Inbox, make_settings, start_inbox


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def inbox_database(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """A migrated inbox database: a SQLite file, or the session's real PostgreSQL database."""
    url: str = sqlite_url if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    upgrade_head(url)
    return url


@pytest.fixture
async def inbox(inbox_database: str) -> AsyncIterator[Inbox]:
    """The inbox app on that database; Rasa is never reached in these tests."""
    settings = make_settings(
        inbox_database, f"http://127.0.0.1:{closed_port()}", run_workers=False
    )
    running, lifespan = await start_inbox(settings)
    try:
        yield running
    finally:
        await running.client.aclose()
        await lifespan.__aexit__(None, None, None)


def client_for(inbox: Inbox, token: str = SERVICE_TOKEN) -> InboxClient:
    return InboxClient("http://inbox.test", token, 5.0, httpx.ASGITransport(app=inbox.app))


async def ticket(inbox: Inbox, ticket_id: str) -> Ticket:
    async with inbox.runtime.sessions() as session:
        found = await session.scalar(select(Ticket).where(Ticket.id == int(ticket_id)))
    assert found is not None
    return found


async def test_a_complaint_opens_a_high_priority_ticket_and_messages_join_it(
    inbox: Inbox,
) -> None:
    sender = f"conv-{datetime.now(UTC).timestamp()}"
    tracker = escalation_tracker(text="mijn pakket was kapot!", intent="complaint")
    tracker.sender_id = sender
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate(client_for(inbox)).run(dispatcher, tracker, {})

    ticket_id = str(events[1]["value"])
    assert events == [SlotSet("human_owned", True), SlotSet("ticket_id", ticket_id)]
    assert dispatcher.messages[0]["response"] == "utter_escalated"
    weekday = dispatcher.messages[0]["due"].split()[0]
    assert weekday in {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag",
                       "zondag"}
    opened = await ticket(inbox, ticket_id)
    assert (opened.priority, opened.language, opened.channel) == ("high", "nl", "socketio")
    assert opened.packet["reason"] == "complaint"
    assert opened.packet["transcript"][-1]["text"] == "mijn pakket was kapot!"

    follow_up = escalation_tracker(text="hallo? de doos was nat", intent="greet", human_owned=True)
    follow_up.sender_id = sender
    forward_dispatcher = CollectingDispatcher()
    forward = ActionForwardToInbox(client_for(inbox))
    assert await forward.run(forward_dispatcher, follow_up, {}) == []
    assert forward_dispatcher.messages == []
    async with inbox.runtime.sessions() as session:
        tickets = (await session.scalars(
            select(Ticket).where(Ticket.conversation_id == sender)
        )).all()
        lines = (await session.scalars(
            select(Message.text).where(Message.ticket_id == int(ticket_id)).order_by(Message.id)
        )).all()
    assert [t.id for t in tickets] == [int(ticket_id)]
    assert list(lines) == ["mijn pakket was kapot!", "hallo? de doos was nat"]


async def test_a_very_long_customer_message_still_opens_a_ticket(inbox: Inbox) -> None:
    long_text = "De rits is kapot en " * 1000
    tracker = escalation_tracker(text=long_text, intent="complaint")
    tracker.sender_id = f"conv-long-{datetime.now(UTC).timestamp()}"
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate(client_for(inbox)).run(dispatcher, tracker, {})
    assert events[0] == SlotSet("human_owned", True), dispatcher.messages
    async with inbox.runtime.sessions() as session:
        stored = await session.scalar(
            select(Message.text).where(Message.ticket_id == int(str(events[1]["value"])))
        )
    assert stored is not None
    assert len(stored) == 4000 and stored.startswith("De rits is kapot en") and stored.endswith("…")


async def test_a_wrong_service_token_is_treated_as_the_inbox_being_down(inbox: Inbox) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate(client_for(inbox, token="not-the-token")).run(
        dispatcher, escalation_tracker(intent="human_handoff"), {}
    )
    assert events == [SlotSet("human_owned", False)]
    assert dispatcher.messages[0]["response"] == "utter_escalation_failed"


async def review_items(inbox: Inbox) -> list[ReviewItem]:
    async with inbox.runtime.sessions() as session:
        return list((await session.scalars(select(ReviewItem).order_by(ReviewItem.id))).all())


def reporter(inbox: Inbox) -> ReviewReporter:
    # The 1 s production bound is tested on its own; here a busy test machine must not
    # turn a slow first insert into a lost report.
    return ReviewReporter(client_for(inbox), timeout_seconds=30)


async def test_a_picked_clarification_lands_in_the_review_queue(inbox: Inbox) -> None:
    dispatcher = CollectingDispatcher()
    action = ValidateSlotMappings(reporter(inbox))
    events = await action.run(dispatcher, switching_to_english(), DOMAIN)

    assert events == [SlotSet("language", "en")]
    assert dispatcher.messages == []
    item = (await review_items(inbox))[-1]
    assert (item.source, item.text, item.language, item.status) == (
        "clarified", AMBIGUOUS, "nl", "pending")
    assert (item.predicted_intent, item.confidence) == ("return_policy", 0.44)
    assert item.ticket_id is None


async def test_an_unreachable_inbox_leaves_the_answer_as_it_was(inbox: Inbox) -> None:
    # The PostgreSQL database lives for the whole test session: count what this test adds.
    before = len(await review_items(inbox))
    reachable, unreachable = CollectingDispatcher(), CollectingDispatcher()
    down = InboxClient(f"http://127.0.0.1:{closed_port()}", SERVICE_TOKEN, 1.0)
    events_up = await ValidateSlotMappings(reporter(inbox)).run(
        reachable, switching_to_english(), DOMAIN
    )
    events_down = await ValidateSlotMappings(ReviewReporter(down)).run(
        unreachable, switching_to_english(), DOMAIN
    )
    assert events_down == events_up == [SlotSet("language", "en")]
    assert unreachable.messages == reachable.messages == []
    assert len(await review_items(inbox)) == before + 1
