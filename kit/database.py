"""Engines and sessions: SQLite by default (embedded), PostgreSQL in production."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
# Relative SQLite paths are anchored at REPO_ROOT, so every process finds the same file.
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/linde.db"
# How long a SQLite writer waits for another one instead of failing with "database is locked".
SQLITE_BUSY_SECONDS = 30.0


def normalise_database_url(url: str) -> str:
    """Pick the async driver and anchor relative SQLite paths at the repository root."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        url = "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    parsed = make_url(url)
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database or "")
        if not path.is_absolute():
            url = parsed.set(database=str(REPO_ROOT / path)).render_as_string(hide_password=False)
    return url


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    parsed = make_url(normalise_database_url(url))
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database or "")


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite file (var/ on a fresh checkout); no-op for other databases."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def is_postgres(bind: AsyncSession | AsyncEngine) -> bool:
    """Whether a session or engine talks to PostgreSQL (else SQLite)."""
    engine = bind.bind if isinstance(bind, AsyncSession) else bind
    return engine is not None and engine.dialect.name == "postgresql"


def create_engine(
    url: str,
    *,
    timeout_seconds: float | None = None,
    sqlite_busy_seconds: float = SQLITE_BUSY_SECONDS,
) -> AsyncEngine:
    """An async engine for `url`; PostgreSQL gives up connecting after `timeout_seconds`."""
    url = normalise_database_url(url)
    if make_url(url).drivername.startswith("postgresql"):
        connect_args: dict[str, Any] = {}
        if timeout_seconds is not None:
            connect_args["timeout"] = timeout_seconds
        return create_async_engine(
            url, connect_args=connect_args, pool_pre_ping=True, pool_size=10, max_overflow=20
        )
    engine = create_async_engine(url, connect_args={"timeout": sqlite_busy_seconds})
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(url: str, timeout_seconds: float = 5.0) -> None:
    """Raise whatever the driver raises unless the database answers within the timeout."""
    engine = create_engine(url, timeout_seconds=timeout_seconds)
    try:
        async with asyncio.timeout(timeout_seconds), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
