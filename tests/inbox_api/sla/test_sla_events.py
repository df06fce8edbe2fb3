"""Warnings and breaches fire on time, once, are stored and published (in-process and Redis)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import time
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import select

from inbox_api.settings import Settings
from inbox_api.sla.models import SlaEvent
from inbox_api.sla.service import check_tickets
from tests.inbox_api.conftest import Inbox, RasaPeer, make_settings, start_inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation

ALWAYS_OPEN = {d: (time(0, 0), time(23, 59, 59, 999999)) for d in range(7)}
# Seconds, written as minutes: first response 2 s (warning at 1.6 s).
FAST = {"urgent": 2 / 60, "high": 2 / 60, "normal": 2 / 60, "low": 2 / 60}
SLOW = {"urgent": 600.0, "high": 600.0, "normal": 600.0, "low": 600.0}


def fast_settings(database_url: str, rasa_url: str, **overrides: Any) -> Settings:
    """A calendar that is always open and a first-response budget of two seconds."""
    return make_settings(
        database_url,
        rasa_url,
        business_timezone="UTC",
        business_hours=ALWAYS_OPEN,
        holiday_country=None,
        first_response_minutes=FAST,
        next_response_minutes=FAST,
        resolution_minutes=SLOW,
        **overrides,
    )


async def stored_events(inbox: Inbox) -> list[tuple[int, str, int, str]]:
    async with inbox.runtime.sessions() as session:
        rows = await session.scalars(select(SlaEvent).order_by(SlaEvent.id))
        return [(e.ticket_id, e.metric, e.cycle, e.kind) for e in rows]


async def wait_until(predicate: Any, within: float = 10.0) -> None:
    async with asyncio.timeout(within):
        # Polls the database, which has no event to wait on.
        while not await predicate():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


@pytest.fixture(params=["in-process", pytest.param("redis", marks=pytest.mark.redis)])
async def fast_inbox(
    request: pytest.FixtureRequest, database_url: str, rasa_peer: RasaPeer, redis_prefix: str
) -> AsyncIterator[Inbox]:
    """An inbox whose first-response clock runs out in two seconds."""
    extra: dict[str, Any] = {}
    if request.param == "redis":
        extra = {"redis_url": request.getfixturevalue("redis_url"), "redis_prefix": redis_prefix}
    running, lifespan = await start_inbox(fast_settings(database_url, rasa_peer.url, **extra))
    try:
        yield running
    finally:
        await running.client.aclose()
        await lifespan.__aexit__(None, None, None)


async def test_warning_and_breach_fire_once_and_are_published(
    fast_inbox: Inbox, service_headers: dict[str, str]
) -> None:
    heard: list[dict[str, Any]] = []

    async def listen() -> None:
        async with fast_inbox.runtime.broadcaster.subscribe() as queue:
            while True:
                heard.append(await queue.get())

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.05)
    created = await fast_inbox.client.post(
        "/api/v1/escalations", json=escalation("conv-sla"), headers=service_headers
    )
    ticket_id = created.json()["ticket_id"]

    async def breached() -> bool:
        return len(await stored_events(fast_inbox)) >= 2

    await wait_until(breached)
    # Running the check again (as a duplicate or a second worker would) adds nothing.
    await check_tickets(fast_inbox.runtime, [ticket_id])
    await check_tickets(fast_inbox.runtime, [ticket_id])
    await asyncio.sleep(0.3)
    assert await stored_events(fast_inbox) == [
        (ticket_id, "first_response", 1, "warning"),
        (ticket_id, "first_response", 1, "breach"),
    ]
    sla_heard = [e for e in heard if e["type"].startswith("sla.")]
    listener.cancel()
    assert [(e["type"], e["metric"]) for e in sla_heard] == [
        ("sla.warning", "first_response"),
        ("sla.breach", "first_response"),
    ]
    staff = await agent_headers(fast_inbox.runtime, fast_inbox.client)
    detail = (await fast_inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    assert detail["sla"]["first_response_state"] == "breached"

    report = (await fast_inbox.client.get("/api/v1/sla/report", headers=staff)).json()
    assert report["tickets"] == 1
    assert report["breaches_by_language"] == {"nl": 1}
    assert report["breaches_by_priority"] == {"normal": 1}
    assert report["metrics"]["first_response"]["missed"] == 1


async def test_a_reply_in_time_prevents_the_breach(
    fast_inbox: Inbox, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(fast_inbox.runtime, fast_inbox.client)
    ticket_id = (
        await fast_inbox.client.post(
            "/api/v1/escalations", json=escalation("conv-ok"), headers=service_headers
        )
    ).json()["ticket_id"]
    await fast_inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/replies", json={"text": "Ik kijk even"}, headers=staff
    )
    await asyncio.sleep(2.5)
    assert await stored_events(fast_inbox) == []
    report = (await fast_inbox.client.get("/api/v1/sla/report", headers=staff)).json()
    assert report["metrics"]["first_response"] == {"met": 1, "missed": 0, "attainment": 1.0}
    assert report["median_first_response_business_seconds"] < 2


@pytest.mark.redis
async def test_redis_carries_sla_events_to_other_workers(
    database_url: str,
    rasa_peer: RasaPeer,
    redis_url: str,
    redis_prefix: str,
    service_headers: dict[str, str],
) -> None:
    redis = Redis.from_url(redis_url, decode_responses=True)
    pubsub = redis.pubsub()
    await pubsub.subscribe(f"{redis_prefix}:inbox:events")
    running, lifespan = await start_inbox(
        fast_settings(database_url, rasa_peer.url, redis_url=redis_url, redis_prefix=redis_prefix)
    )
    try:
        await running.client.post(
            "/api/v1/escalations", json=escalation("conv-r"), headers=service_headers
        )
        types: list[str] = []
        async with asyncio.timeout(10):
            while "sla.breach" not in types:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                if message:
                    types.append(json.loads(message["data"])["type"])
        assert types == ["ticket.created", "sla.warning", "sla.breach"]
    finally:
        await running.client.aclose()
        await lifespan.__aexit__(None, None, None)
        await pubsub.aclose()
        await redis.aclose()


@pytest.mark.parametrize("backend", ["in-process", pytest.param("redis", marks=pytest.mark.redis)])
async def test_schedule_is_rebuilt_from_the_database_on_start_up(
    backend: str,
    request: pytest.FixtureRequest,
    database_url: str,
    rasa_peer: RasaPeer,
    redis_prefix: str,
    service_headers: dict[str, str],
) -> None:
    extra: dict[str, Any] = {}
    if backend == "redis":
        extra = {"redis_url": request.getfixturevalue("redis_url"), "redis_prefix": redis_prefix}
    # A worker-less app takes the escalation, then "crashes" before any timer fires.
    first, lifespan = await start_inbox(
        fast_settings(database_url, rasa_peer.url, run_workers=False, **extra)
    )
    await first.client.post(
        "/api/v1/escalations", json=escalation("conv-b"), headers=service_headers
    )
    await first.client.aclose()
    await lifespan.__aexit__(None, None, None)
    if backend == "redis":
        # Redis lost its schedule too (e.g. restarted without persistence).
        redis = Redis.from_url(extra["redis_url"])
        await redis.delete(f"{redis_prefix}:inbox:sla-due")
        await redis.aclose()
    await asyncio.sleep(2.2)

    second, lifespan = await start_inbox(fast_settings(database_url, rasa_peer.url, **extra))
    try:

        async def both() -> bool:
            return [k for *_, k in await stored_events(second)] == ["warning", "breach"]

        await wait_until(both)
    finally:
        await second.client.aclose()
        await lifespan.__aexit__(None, None, None)
