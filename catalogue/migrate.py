"""Bringing a database to the newest catalogue schema with Alembic."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from catalogue.database import (
    CatalogueUnavailable,
    create_engine,
    normalise_database_url,
    sqlite_path,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the catalogue environment on `url` (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser treats % as interpolation; URLs may contain percent-escapes.
    config.set_main_option("sqlalchemy.url", normalise_database_url(url).replace("%", "%%"))
    return config


async def check_connection(url: str, timeout_seconds: float = 5.0) -> None:
    """Raise CatalogueUnavailable unless the database answers within the timeout."""
    engine = create_engine(url, timeout_seconds=timeout_seconds)
    try:
        async with asyncio.timeout(timeout_seconds), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    # Whatever the driver raises (refused, unknown host, bad password, timeout) means the same
    # thing to the person at the command line.
    except Exception as exc:
        raise CatalogueUnavailable(str(exc)) from exc
    finally:
        await engine.dispose()


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a SQLite file (var/ on a fresh checkout); no-op for other databases."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def upgrade(url: str) -> None:
    """Apply every pending catalogue migration (creates the SQLite file's folder if needed)."""
    ensure_sqlite_folder(url)
    command.upgrade(alembic_config(url), "head")
