"""The SLA timers: plans only move earlier, due tickets fire once, Redis workers share work."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from redis.asyncio import Redis

from inbox_api.sla.scheduler import InProcessScheduler, RedisScheduler


@pytest.fixture(params=["in-process", pytest.param("redis", marks=pytest.mark.redis)])
async def scheduler(
    request: pytest.FixtureRequest, redis_prefix: str
) -> AsyncIterator[InProcessScheduler | RedisScheduler]:
    if request.param == "in-process":
        yield InProcessScheduler()
        return
    url = request.getfixturevalue("redis_url")
    redis = Redis.from_url(url, decode_responses=True)
    try:
        yield RedisScheduler(redis, f"{redis_prefix}:sla")
    finally:
        await redis.aclose()


async def test_due_tickets_fire_once_and_plans_only_move_earlier(
    scheduler: InProcessScheduler | RedisScheduler,
) -> None:
    fired: list[tuple[int, float]] = []
    done = asyncio.Event()

    async def handler(ids: list[int]) -> None:
        now = datetime.now(UTC).timestamp()
        fired.extend((i, now) for i in ids)
        if len(fired) >= 3:
            done.set()

    now = datetime.now(UTC)
    await scheduler.schedule(1, now + timedelta(seconds=0.3))
    await scheduler.schedule(1, now + timedelta(hours=1))  # stale later plan: ignored
    await scheduler.schedule(2, now + timedelta(hours=1))
    await scheduler.schedule(2, now + timedelta(seconds=0.6))  # earlier plan wins
    await scheduler.schedule(3, None)  # nothing planned
    await scheduler.schedule_many([(4, now + timedelta(seconds=0.9)), (5, now + timedelta(days=3))])
    await scheduler.start(handler)
    try:
        await asyncio.wait_for(done.wait(), timeout=5)
        await asyncio.sleep(0.7)
    finally:
        await scheduler.stop()
    assert [i for i, _ in fired] == [1, 2, 4]
    # None fired before its time.
    for (ticket, at), due in zip(fired, (0.3, 0.6, 0.9), strict=True):
        assert at >= (now + timedelta(seconds=due)).timestamp(), ticket


@pytest.mark.redis
async def test_two_redis_workers_never_take_the_same_ticket(
    redis_url: str, redis_prefix: str
) -> None:
    redis = Redis.from_url(redis_url, decode_responses=True)
    try:
        a = RedisScheduler(redis, f"{redis_prefix}:sla")
        b = RedisScheduler(redis, f"{redis_prefix}:sla")
        past = datetime.now(UTC) - timedelta(seconds=1)
        await a.schedule_many((i, past) for i in range(1, 1001))
        now = datetime.now(UTC).timestamp()
        taken: list[int] = []
        for _ in range(10):
            first, second = await asyncio.gather(a.claim_due(now), b.claim_due(now))
            taken += first + second
        assert sorted(taken) == list(range(1, 1001))
    finally:
        await redis.aclose()


async def test_the_scheduler_reads_time_from_its_clock() -> None:
    # A clock a day ahead: a check planned for tomorrow is already due.
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    scheduler = InProcessScheduler(clock=lambda: tomorrow + timedelta(seconds=1))
    fired = asyncio.Event()

    async def handler(ids: list[int]) -> None:
        assert ids == [7]
        fired.set()

    await scheduler.schedule(7, tomorrow)
    await scheduler.start(handler)
    try:
        await asyncio.wait_for(fired.wait(), timeout=2)
    finally:
        await scheduler.stop()
