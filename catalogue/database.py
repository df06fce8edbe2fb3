"""Engines and sessions for the catalogue database (SQLite by default, PostgreSQL in production)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/linde.db"


class CatalogueUnavailable(Exception):
    """The catalogue database did not answer (down, unreachable or too slow)."""


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
    """The file behind a SQLite URL, or None for other databases."""
    parsed = make_url(normalise_database_url(url))
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database or "")


def create_engine(url: str, *, timeout_seconds: float = 5.0) -> AsyncEngine:
    """An async engine that gives up on connecting after `timeout_seconds`."""
    url = normalise_database_url(url)
    connect_args: dict[str, Any] = {}
    if url.startswith("postgresql"):
        connect_args["timeout"] = timeout_seconds
        engine = create_async_engine(
            url, connect_args=connect_args, pool_pre_ping=True, pool_size=10, max_overflow=20
        )
    else:
        # Writers wait for each other instead of failing with "database is locked".
        connect_args["timeout"] = max(timeout_seconds, 5.0)
        engine = create_async_engine(url, connect_args=connect_args)
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
