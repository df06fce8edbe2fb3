"""Bringing a database to the newest catalogue schema with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

from catalogue.errors import CatalogueUnavailable
from kit import migrations
from kit.database import ping

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the catalogue environment on `url` (no alembic.ini)."""
    return migrations.alembic_config(MIGRATIONS, url)


async def check_connection(url: str, timeout_seconds: float = 5.0) -> None:
    """Raise CatalogueUnavailable unless the database answers within the timeout."""
    try:
        await ping(url, timeout_seconds)
    # Whatever the driver raises (refused, unknown host, bad password, timeout) means the same
    # thing to the person at the command line.
    except Exception as exc:
        raise CatalogueUnavailable(str(exc)) from exc


def upgrade(url: str) -> None:
    """Apply every pending catalogue migration (creates the SQLite file's folder if needed)."""
    migrations.upgrade(MIGRATIONS, url)
