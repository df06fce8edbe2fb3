"""Escalation actions against the real inbox API (its app, migrations and database)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.escalation import ActionEscalate, ActionForwardToInbox, InboxClient
from inbox_api.migrate import upgrade_head
from inbox_api.tickets.models import Message, Ticket
from tests.actions.test_escalation import closed_port, make_tracker
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
    tracker = make_tracker(text="mijn pakket was kapot!", intent="complaint")
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

    follow_up = make_tracker(text="hallo? de doos was nat", intent="greet", human_owned=True)
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


async def test_a_wrong_service_token_is_treated_as_the_inbox_being_down(inbox: Inbox) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionEscalate(client_for(inbox, token="not-the-token")).run(
        dispatcher, make_tracker(intent="human_handoff"), {}
    )
    assert events == [SlotSet("human_owned", False)]
    assert dispatcher.messages[0]["response"] == "utter_escalation_failed"
