"""Racing requests end in one clear outcome on SQLite and PostgreSQL alike (no 500)."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import select

from inbox_api.app import warn_without_redis
from inbox_api.tickets.models import Ticket
from tests.inbox_api.conftest import Inbox, make_settings
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


async def _ticket(inbox: Inbox, service_headers: dict[str, str], cid: str) -> int:
    created = await inbox.client.post(
        "/api/v1/escalations", json=escalation(cid), headers=service_headers
    )
    assert created.status_code == 201, created.text
    ticket_id: int = created.json()["ticket_id"]
    return ticket_id


async def test_racing_claims_one_wins_the_other_gets_409(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    anna = await agent_headers(inbox.runtime, inbox.client, email="anna@linde.test")
    bram = await agent_headers(inbox.runtime, inbox.client, email="bram@linde.test")
    for round_ in range(5):
        ticket_id = await _ticket(inbox, service_headers, f"claim-race-{round_}")
        first, second = await asyncio.gather(
            inbox.client.post(f"/api/v1/tickets/{ticket_id}/claim", headers=anna),
            inbox.client.post(f"/api/v1/tickets/{ticket_id}/claim", headers=bram),
        )
        codes = sorted([first.status_code, second.status_code])
        assert codes == [200, 409], (first.text, second.text)
        winner = first if first.status_code == 200 else second
        loser = second if winner is first else first
        assert "claimed" in loser.json()["detail"]
        detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=anna)).json()
        assert detail["assignee"]["id"] == winner.json()["assignee"]["id"]


async def test_claiming_twice_is_fine_for_the_same_agent(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    anna = await agent_headers(inbox.runtime, inbox.client, email="anna@linde.test")
    ticket_id = await _ticket(inbox, service_headers, "claim-again")
    codes = [
        (await inbox.client.post(f"/api/v1/tickets/{ticket_id}/claim", headers=anna)).status_code
        for _ in range(2)
    ]
    assert codes == [200, 200]


async def test_a_reopen_racing_an_escalation_leaves_one_open_ticket(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    for round_ in range(6):
        cid = f"reopen-race-{round_}"
        old = await _ticket(inbox, service_headers, cid)
        resolved = await inbox.client.post(
            f"/api/v1/tickets/{old}/status", json={"status": "resolved"}, headers=staff
        )
        assert resolved.status_code == 200
        reopen, escalated = await asyncio.gather(
            inbox.client.post(
                f"/api/v1/tickets/{old}/status", json={"status": "open"}, headers=staff
            ),
            inbox.client.post(
                "/api/v1/escalations",
                json=escalation(cid, text="Nog een vraag"),
                headers=service_headers,
            ),
        )
        assert escalated.status_code in (200, 201), escalated.text
        assert reopen.status_code in (200, 409), reopen.text
        async with inbox.runtime.sessions() as session:
            open_tickets = list(
                await session.scalars(
                    select(Ticket.id).where(
                        Ticket.conversation_id == cid, Ticket.status != "resolved"
                    )
                )
            )
        assert open_tickets == [escalated.json()["ticket_id"]]
        if reopen.status_code == 200:
            # The reopen came first: the customer's message joined the reopened ticket.
            assert open_tickets == [old] and escalated.status_code == 200
        else:
            assert "open ticket" in reopen.json()["detail"]
        detail = (
            await inbox.client.get(f"/api/v1/tickets/{open_tickets[0]}", headers=staff)
        ).json()
        assert "Nog een vraag" in [m["text"] for m in detail["messages"]]


async def test_several_workers_without_redis_warn_loudly(
    caplog: pytest.LogCaptureFixture, sqlite_url: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="inbox_api.app"):
        assert warn_without_redis(make_settings(sqlite_url, "http://rasa.test", workers=4))
    assert "SEVERAL INBOX WORKERS WITHOUT REDIS" in caplog.text
    assert "Set REDIS_URL" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="inbox_api.app"):
        assert not warn_without_redis(make_settings(sqlite_url, "http://rasa.test", workers=1))
        assert not warn_without_redis(
            make_settings(sqlite_url, "http://rasa.test", workers=4, redis_url="redis://x:6379")
        )
    assert caplog.text == ""
