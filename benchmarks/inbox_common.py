"""Shared set-up of the inbox benchmarks: a throw-away PostgreSQL database and percentiles."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import asyncpg

from inbox_api.migrate import upgrade_head

ADMIN_DSN = os.environ.get(
    "BENCH_POSTGRES_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(ADMIN_DSN)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def scratch_database() -> Iterator[str]:
    """A migrated, empty database on the real server, dropped afterwards; yields its async URL."""
    name = f"bench_inbox_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    base = ADMIN_DSN.rpartition("/")[0]
    url = f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://", 1)
    try:
        upgrade_head(url)
        yield url
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank) of the values."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def describe(name: str, seconds: Sequence[float], wall: float | None = None) -> str:
    """One line: count, throughput, p50, p99 and max in milliseconds."""
    ms = [s * 1000 for s in seconds]
    rate = f"{len(ms) / wall:8.1f}/s" if wall else ""
    return (
        f"{name:<38} n={len(ms):<6} {rate}  p50={percentile(ms, 50):8.2f} ms  "
        f"p99={percentile(ms, 99):8.2f} ms  max={max(ms):8.2f} ms"
    )
