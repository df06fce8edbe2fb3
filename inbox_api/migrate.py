"""Running the inbox's Alembic migrations from code (the CLI and the tests use this)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic.config import Config

from inbox_api.errors import InboxError
from kit import migrations
from kit.database import ensure_sqlite_folder, ping

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at our migrations and the given database."""
    return migrations.alembic_config(MIGRATIONS, database_url)


async def check_database(database_url: str, wait_seconds: float = 5.0) -> None:
    """Raise InboxError with one clear sentence when the database does not answer."""
    ensure_sqlite_folder(database_url)
    try:
        await ping(database_url, wait_seconds)
    except Exception as exc:
        safe = database_url.split("@")[-1]
        raise InboxError(
            f"The database at {safe} does not answer ({type(exc).__name__}); start it or set "
            "DATABASE_URL to a reachable database."
        ) from exc


def upgrade_head(database_url: str) -> None:
    """Check the database answers, then apply every migration (safe to run twice)."""
    asyncio.run(check_database(database_url))
    migrations.upgrade(MIGRATIONS, database_url)
