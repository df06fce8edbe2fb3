"""SLA scheduler under 1,000,000 pending deadlines: how long from a deadline to its breach event.

Fills the scheduler (Redis sorted set, then the in-process heap) with a million deadlines
spread over the next 30 days, adds real tickets on PostgreSQL whose first-response budgets
run out over the next few seconds, and measures, for each breach, the delay between the
deadline and the moment the breach was stored (and when it was heard on the live channel).

    .venv/bin/python -m benchmarks.inbox_sla_scheduler [--tickets 300] [--pending 1000000]

Prints numbers; never fails on a time.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

from sqlalchemy import select

from benchmarks.inbox_common import REDIS_URL, describe, scratch_database
from inbox_api.app import build_runtime
from inbox_api.runtime import pop_after_commit
from inbox_api.settings import Settings
from inbox_api.sla.models import SlaEvent
from inbox_api.sla.service import check_tickets
from inbox_api.tickets import service as tickets
from inbox_api.tickets.schemas import EscalationIn

ALWAYS_OPEN = {d: (clock_time(0, 0), clock_time(23, 59, 59, 999999)) for d in range(7)}
MINUTE = 60.0


async def run(database_url: str, backend: str, n_tickets: int, n_pending: int) -> None:
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    budget_s = 4.0
    settings = Settings(
        database_url=database_url,
        redis_url=REDIS_URL if backend == "redis" else None,
        redis_prefix=prefix,
        business_timezone="UTC",
        business_hours=ALWAYS_OPEN,
        holiday_country=None,
        first_response_minutes={p: budget_s / MINUTE for p in ("urgent", "high", "normal", "low")},
        next_response_minutes={p: 600.0 for p in ("urgent", "high", "normal", "low")},
        resolution_minutes={p: 6000.0 for p in ("urgent", "high", "normal", "low")},
        warning_fraction=0.999,
    )
    runtime = build_runtime(settings)
    await runtime.broadcaster.start()
    heard: dict[tuple[int, str], float] = {}

    async def listen() -> None:
        async with runtime.broadcaster.subscribe() as queue:
            while True:
                event = await queue.get()
                if event["type"] == "sla.breach":
                    heard[(event["ticket_id"], event["metric"])] = time.time()

    listener = asyncio.create_task(listen())
    try:
        # A million deadlines that are not due during the run (ids far above real tickets).
        now = datetime.now(UTC)
        started = time.perf_counter()
        filler = (
            (10_000_000 + i, now + timedelta(seconds=random.uniform(3600, 30 * 86400)))
            for i in range(n_pending)
        )
        await runtime.scheduler.schedule_many(filler)
        fill_s = time.perf_counter() - started
        size = (
            await runtime.redis.zcard(f"{prefix}:inbox:sla-due")
            if runtime.redis is not None
            else len(runtime.scheduler)  # type: ignore[arg-type]
        )
        print(f"[{backend}] scheduled {size:,} pending deadlines in {fill_s:.1f} s")

        async def handle(ids: list[int]) -> None:
            await check_tickets(runtime, ids)

        await runtime.scheduler.start(handle)

        # Real tickets, escalated over ~3 s, each breaching `budget_s` later.
        for i in range(n_tickets):
            async with runtime.sessions() as session:
                body = EscalationIn(
                    channel="rest",
                    conversation_id=f"bench-{i}",
                    language="nl" if i % 2 else "en",
                    reason="fallback",
                    customer_message="Waar is mijn bestelling?",
                )
                await tickets.escalate(session, runtime, body, datetime.now(UTC))
                await session.commit()
                for action in pop_after_commit(session):
                    await action()
            await asyncio.sleep(3.0 / n_tickets)

        deadline = time.time() + budget_s + 60
        while time.time() < deadline:
            async with runtime.sessions() as session:
                rows = list(
                    await session.scalars(select(SlaEvent).where(SlaEvent.kind == "breach"))
                )
            if len(rows) >= n_tickets and len(heard) >= n_tickets:
                break
            await asyncio.sleep(0.5)
        stored = [(e.emitted_at - e.due_at).total_seconds() for e in rows]
        published = [
            heard[(e.ticket_id, e.metric)] - e.due_at.timestamp()
            for e in rows
            if (e.ticket_id, e.metric) in heard
        ]
        print(f"[{backend}] breaches stored: {len(rows)}/{n_tickets}")
        print(describe(f"[{backend}] deadline -> breach stored", stored))
        print(describe(f"[{backend}] deadline -> breach published", published))
    finally:
        listener.cancel()
        await runtime.scheduler.stop()
        await runtime.broadcaster.stop()
        if runtime.redis is not None:
            await runtime.redis.delete(f"{prefix}:inbox:sla-due")
            await runtime.redis.aclose()
        await runtime.engine.dispose()


def main() -> None:
    """Run the benchmark on Redis and on the in-process scheduler."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=300)
    parser.add_argument("--pending", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["redis", "in-process", "both"], default="both")
    args = parser.parse_args()
    backends = ["redis", "in-process"] if args.backend == "both" else [args.backend]
    for backend in backends:
        with scratch_database() as url:
            asyncio.run(run(url, backend, args.tickets, args.pending))


if __name__ == "__main__":
    main()
