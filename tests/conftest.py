"""Shared fixtures: real PostgreSQL and Redis, isolated per test session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Tests reach the servers this machine kind runs; overridable for other machines.
PG_ADMIN_DSN = os.environ.get("TEST_POSTGRES_ADMIN_DSN", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _pg_admin_execute(sql: str) -> None:
    """Run one statement as the admin user (CREATE/DROP DATABASE cannot run in a transaction)."""
    import asyncio

    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def _with_database(dsn: str, name: str) -> str:
    base, _, _ = dsn.rpartition("/")
    return f"{base}/{name}".replace("postgresql://", "postgresql+asyncpg://", 1)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty database on the real PostgreSQL server, dropped after the session."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    _pg_admin_execute(f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(PG_ADMIN_DSN, name)
    finally:
        _pg_admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite database file of this test alone."""
    return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def redis_prefix() -> str:
    """A key and channel prefix no other test run uses."""
    return f"test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def redis_url(redis_prefix: str) -> Iterator[str]:
    """The real Redis server; keys under this test's prefix are deleted afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        yield REDIS_TEST_URL
    finally:
        keys = list(client.scan_iter(f"{redis_prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()
