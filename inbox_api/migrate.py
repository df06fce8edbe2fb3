"""Running the inbox's Alembic migrations from code (the CLI and the tests use this)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from inbox_api.db import make_engine
from inbox_api.errors import InboxError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at our migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


async def check_database(database_url: str, wait_seconds: float = 5.0) -> None:
    """Raise InboxError with one clear sentence when the database does not answer."""
    if database_url.startswith("sqlite"):
        path = database_url.split(":///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(database_url)
    try:
        async with asyncio.timeout(wait_seconds), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as exc:
        safe = database_url.split("@")[-1]
        raise InboxError(
            f"The database at {safe} does not answer ({type(exc).__name__}); start it or set "
            "DATABASE_URL to a reachable database."
        ) from exc
    finally:
        await engine.dispose()


def upgrade_head(database_url: str) -> None:
    """Check the database answers, then apply every migration (safe to run twice)."""
    asyncio.run(check_database(database_url))
    command.upgrade(alembic_config(database_url), "head")
