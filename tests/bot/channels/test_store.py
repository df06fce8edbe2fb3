"""Duplicate deliveries are claimed once, across processes (SQLite file or Redis)."""

from __future__ import annotations

import asyncio
import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.channels.store import RedisChannelStore, SqliteChannelStore

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _claim_in_process(path: str, key: str, results: multiprocessing.Queue[bool]) -> None:
    results.put(asyncio.run(SqliteChannelStore(Path(path)).claim(key, NOW)))


def test_sqlite_claim_is_won_by_exactly_one_process(tmp_path: Path) -> None:
    path = str(tmp_path / "channels.db")
    SqliteChannelStore(Path(path))
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[bool] = context.Queue()
    workers = [context.Process(target=_claim_in_process, args=(path, "messenger:m_1", results))
               for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sorted(results.get(timeout=5) for _ in workers) == [False, False, False, True]


async def test_sqlite_window_and_status(tmp_path: Path) -> None:
    store = SqliteChannelStore(tmp_path / "c.db")
    assert await store.last_inbound("instagram", "U1") is None
    await store.record_inbound("instagram", "U1", NOW)
    await store.record_inbound("instagram", "U1", NOW - timedelta(hours=3))  # a late retry
    assert await store.last_inbound("instagram", "U1") == NOW
    assert await store.last_inbound("messenger", "U1") is None
    await store.record_status("wamid.1", "read", NOW, [])
    await store.record_status("wamid.1", "delivered", NOW, [])  # arrives after "read"
    status = await store.status("wamid.1")
    assert status is not None and status["status"] == "read"


async def test_sqlite_forgets_deliveries_after_the_retry_period(tmp_path: Path) -> None:
    store = SqliteChannelStore(tmp_path / "c.db")
    assert await store.claim("whatsapp:wamid.1", NOW)
    assert not await store.claim("whatsapp:wamid.1", NOW + timedelta(days=1))
    assert await store.claim("whatsapp:wamid.1", NOW + timedelta(days=9))


@pytest.mark.redis
async def test_redis_claim_window_and_status(redis_url: str, redis_prefix: str) -> None:
    first = RedisChannelStore(redis_url, redis_prefix)
    second = RedisChannelStore(redis_url, redis_prefix)
    try:
        claims = await asyncio.gather(*(s.claim("messenger:m_9", NOW) for s in (first, second)))
        assert sorted(claims) == [False, True]
        await first.record_inbound("messenger", "P", NOW)
        assert await second.last_inbound("messenger", "P") == NOW
        await first.record_status("wamid.2", "failed", NOW, [{"code": 131047}])
        status = await second.status("wamid.2")
        assert status is not None and status["errors"] == [{"code": 131047}]
    finally:
        await first.close()
        await second.close()
