"""The whole inbox flow, on SQLite with in-process fallbacks and on PostgreSQL with Redis."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest

from inbox_api.migrate import upgrade_head
from inbox_api.settings import Settings
from tests.inbox_api.conftest import Inbox, RasaPeer, make_settings, start_inbox, truncate_inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgres+redis", marks=[pytest.mark.postgres, pytest.mark.redis]),
    ]
)
def stack_settings(
    request: pytest.FixtureRequest, sqlite_url: str, rasa_peer: RasaPeer, redis_prefix: str
) -> Settings:
    """The embedded default, or the production pair (migrated and empty)."""
    if request.param == "sqlite":
        upgrade_head(sqlite_url)
        return make_settings(sqlite_url, rasa_peer.url)
    url = _postgres(request)
    return make_settings(
        url,
        rasa_peer.url,
        redis_url=request.getfixturevalue("redis_url"),
        redis_prefix=redis_prefix,
    )


def _postgres(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue("pg_inbox_url")
    truncate_inbox(url)
    return url


@pytest.fixture
async def stack(stack_settings: Settings) -> AsyncIterator[Inbox]:
    """A running inbox on that stack."""
    running, lifespan = await start_inbox(stack_settings)
    try:
        yield running
    finally:
        await running.client.aclose()
        await lifespan.__aexit__(None, None, None)


async def test_escalate_claim_reply_pause_resume_resolve(
    stack: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    events: list[dict[str, Any]] = []

    async def listen() -> None:
        async with stack.runtime.broadcaster.subscribe() as queue:
            while True:
                events.append(await queue.get())

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.1)
    client = stack.client
    staff = await agent_headers(stack.runtime, client)

    created = await client.post(
        "/api/v1/escalations",
        json=escalation("flow", language="en", text="I want a human"),
        headers=service_headers,
    )
    assert created.status_code == 201
    ticket_id = created.json()["ticket_id"]
    promise = datetime.fromisoformat(created.json()["sla"]["first_response_due_at"])

    queue = (await client.get("/api/v1/tickets", headers=staff)).json()
    assert [t["id"] for t in queue["items"]] == [ticket_id]
    assert datetime.fromisoformat(queue["items"][0]["sla_due_at"]) == promise

    assert (
        await client.post(f"/api/v1/tickets/{ticket_id}/claim", headers=staff)
    ).status_code == 200
    reply = await client.post(
        f"/api/v1/tickets/{ticket_id}/replies", json={"text": "Hi, I'm Sanne."}, headers=staff
    )
    assert reply.status_code == 201
    waiting = await client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "waiting_on_customer"}, headers=staff
    )
    assert waiting.json()["sla"]["resolution_state"] == "paused"
    back = await client.post(
        "/api/v1/escalations",
        json=escalation("flow", language="en", reason="customer_message", text="Order LC-1"),
        headers=service_headers,
    )
    assert back.status_code == 200 and back.json()["ticket_id"] == ticket_id
    resumed = (await client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    assert resumed["status"] == "open"
    assert resumed["sla"]["resolution_state"] == "running"
    assert resumed["sla"]["next_response_state"] == "running"
    await client.post(
        f"/api/v1/tickets/{ticket_id}/replies",
        json={"text": "Found it, ships today."},
        headers=staff,
    )
    resolved = await client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "resolved"}, headers=staff
    )
    assert resolved.json()["sla"]["first_response_state"] == "met"
    assert resolved.json()["sla"]["next_response_state"] == "met"
    assert resolved.json()["sla"]["resolution_state"] == "met"

    await rasa_peer.wait_for(3)
    assert [c["body"]["name"] for c in rasa_peer.calls] == [
        "EXTERNAL_agent_message",
        "EXTERNAL_agent_message",
        "EXTERNAL_handback",
    ]
    assert rasa_peer.texts("flow") == ["Hi, I'm Sanne.", "Found it, ships today."]
    await asyncio.sleep(0.3)
    listener.cancel()
    kinds = [e["type"] for e in events]
    assert kinds[0] == "ticket.created"
    assert kinds.count("delivery") == 3
    assert "ticket.status" in kinds and "ticket.claimed" in kinds
    report = (await client.get("/api/v1/sla/report", headers=staff)).json()
    assert report["metrics"]["first_response"]["met"] == 1
    assert report["metrics"]["resolution"]["met"] == 1
