"""Live events reach every API worker: through Redis pub/sub, or in-process without Redis."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.inbox_api.conftest import Inbox, RasaPeer, make_settings, start_inbox
from tests.inbox_api.tickets.factories import escalation


async def _next_event(queue: asyncio.Queue[dict[str, Any]], kind: str) -> dict[str, Any]:
    async with asyncio.timeout(5):
        while True:
            event = await queue.get()
            if event["type"] == kind:
                return event


@pytest.mark.redis
async def test_an_event_on_one_worker_reaches_subscribers_of_another(
    database_url: str,
    rasa_peer: RasaPeer,
    redis_url: str,
    redis_prefix: str,
    service_headers: dict[str, str],
) -> None:
    settings = make_settings(
        database_url, rasa_peer.url, redis_url=redis_url, redis_prefix=redis_prefix
    )
    a, lifespan_a = await start_inbox(settings)
    b, lifespan_b = await start_inbox(settings)
    try:
        async with b.runtime.broadcaster.subscribe() as queue:
            created = await a.client.post(
                "/api/v1/escalations", json=escalation(), headers=service_headers
            )
            event = await _next_event(queue, "ticket.created")
            assert event["ticket_id"] == created.json()["ticket_id"]
            assert event["language"] == "nl"
            # Customer text never travels over pub/sub; the page fetches it with a token.
            assert "Waar blijft" not in str(event)
    finally:
        for running, lifespan in ((a, lifespan_a), (b, lifespan_b)):
            await running.client.aclose()
            await lifespan.__aexit__(None, None, None)


async def test_in_process_events_without_redis(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    async with inbox.runtime.broadcaster.subscribe() as queue:
        await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
        event = await _next_event(queue, "ticket.created")
        assert event["priority"] == "normal"


async def test_live_stream_needs_a_staff_token(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    assert (await inbox.client.get("/api/v1/live/events")).status_code == 401
    response = await inbox.client.get("/api/v1/live/events", headers=service_headers)
    assert response.status_code == 401
