"""When to look at a ticket's SLA again.

The database holds every deadline (`tickets.sla_next_check_at`); the scheduler only wakes a
handler at the right moment and can be rebuilt from the database at start-up. The handler
re-reads the ticket before acting, so a stale or duplicate wake-up is harmless.

`schedule` means "check no later than `at`": a plan only ever moves earlier. Two requests
changing one ticket may publish their plans in either order; keeping the earlier one means a
stale plan can cause an extra early check (which re-plans from the database) but never a
late warning.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import Protocol, cast

from redis.asyncio import Redis

from inbox_api.background import stop_task
from kit.clock import Clock, utc_now

log = logging.getLogger(__name__)
Handler = Callable[[list[int]], Awaitable[None]]
# Redis is polled at most this often when nothing is due sooner (another worker may add work).
_MAX_SLEEP = 0.5
_BATCH = 200


class Scheduler(Protocol):
    """Schedules SLA checks per ticket."""

    async def schedule(self, ticket_id: int, at: datetime | None) -> None:
        """Check this ticket no later than `at`; None plans nothing."""

    async def schedule_many(self, items: Iterable[tuple[int, datetime]]) -> None:
        """Schedule many tickets at once (start-up rebuild)."""

    async def start(self, handler: Handler) -> None:
        """Start calling `handler` with the ids of tickets that are due."""

    async def stop(self) -> None:
        """Stop calling the handler."""


async def _run_handler(handler: Handler, ids: list[int]) -> None:
    try:
        await handler(ids)
    except Exception:
        log.exception(
            "SLA check of tickets %s failed; they will be checked on the next change", ids
        )


class InProcessScheduler:
    """A heap in this process (no Redis configured)."""

    def __init__(self, clock: Clock = utc_now) -> None:
        self._clock = clock
        self._heap: list[tuple[float, int]] = []
        self._planned: dict[int, float] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self._planned)

    async def schedule(self, ticket_id: int, at: datetime | None) -> None:
        """Plan a check of the ticket no later than `at`."""
        if at is None:
            return
        when = at.timestamp()
        planned = self._planned.get(ticket_id)
        if planned is not None and planned <= when:
            return
        self._planned[ticket_id] = when
        heapq.heappush(self._heap, (when, ticket_id))
        self._wake.set()

    async def schedule_many(self, items: Iterable[tuple[int, datetime]]) -> None:
        """Plan many checks at once."""
        for ticket_id, at in items:
            when = at.timestamp()
            planned = self._planned.get(ticket_id)
            if planned is not None and planned <= when:
                continue
            self._planned[ticket_id] = when
            self._heap.append((when, ticket_id))
        heapq.heapify(self._heap)
        self._wake.set()

    async def start(self, handler: Handler) -> None:
        """Start the timer loop."""
        self._task = asyncio.create_task(self._loop(handler), name="sla-scheduler")

    async def stop(self) -> None:
        """Stop the timer loop."""
        if self._task is not None:
            await stop_task(self._task)
            self._task = None

    def _pop_due(self, now: float) -> list[int]:
        due: list[int] = []
        while self._heap and self._heap[0][0] <= now and len(due) < _BATCH:
            when, ticket_id = heapq.heappop(self._heap)
            if self._planned.get(ticket_id) == when:  # otherwise re-planned earlier
                del self._planned[ticket_id]
                due.append(ticket_id)
        return due

    async def _loop(self, handler: Handler) -> None:
        while True:
            due = self._pop_due(self._clock().timestamp())
            if due:
                await _run_handler(handler, due)
                continue
            self._wake.clear()
            timeout = None
            if self._heap:
                timeout = max(0.0, self._heap[0][0] - self._clock().timestamp())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=timeout)


class RedisScheduler:
    """A sorted set in Redis (ticket id -> epoch seconds), shared by every API worker."""

    def __init__(self, redis: Redis, key: str, clock: Clock = utc_now) -> None:
        self._redis = redis
        self._clock = clock
        self.key = key
        self._task: asyncio.Task[None] | None = None

    async def schedule(self, ticket_id: int, at: datetime | None) -> None:
        """Plan a check of the ticket no later than `at` (ZADD LT keeps the earlier plan)."""
        if at is not None:
            await self._redis.zadd(self.key, {str(ticket_id): at.timestamp()}, lt=True)

    async def schedule_many(self, items: Iterable[tuple[int, datetime]]) -> None:
        """Plan many checks at once, in pipelined chunks."""
        chunk: dict[str, float] = {}
        for ticket_id, at in items:
            chunk[str(ticket_id)] = at.timestamp()
            if len(chunk) >= 10_000:
                await self._redis.zadd(self.key, chunk, lt=True)
                chunk = {}
        if chunk:
            await self._redis.zadd(self.key, chunk, lt=True)

    async def start(self, handler: Handler) -> None:
        """Start polling the sorted set."""
        self._task = asyncio.create_task(self._loop(handler), name="sla-scheduler-redis")

    async def stop(self) -> None:
        """Stop polling."""
        if self._task is not None:
            await stop_task(self._task)
            self._task = None

    async def claim_due(self, now: float) -> list[int]:
        """Take the due ticket ids; ZREM decides which worker owns each one."""
        members = cast(
            list[str], await self._redis.zrangebyscore(self.key, "-inf", now, start=0, num=_BATCH)
        )
        if not members:
            return []
        async with self._redis.pipeline(transaction=False) as pipe:
            for member in members:
                pipe.zrem(self.key, member)
            removed = await pipe.execute()
        return [int(m) for m, ok in zip(members, removed, strict=True) if ok]

    async def _loop(self, handler: Handler) -> None:
        while True:
            try:
                due = await self.claim_due(self._clock().timestamp())
                if due:
                    await _run_handler(handler, due)
                    continue
                head = cast(
                    list[tuple[str, float]],
                    await self._redis.zrange(self.key, 0, 0, withscores=True),
                )
                sleep = _MAX_SLEEP
                if head:
                    sleep = min(_MAX_SLEEP, max(0.0, head[0][1] - self._clock().timestamp()))
                await asyncio.sleep(sleep)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("SLA scheduler lost Redis; retrying in 1 s")
                await asyncio.sleep(1)
