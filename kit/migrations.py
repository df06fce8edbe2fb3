"""Alembic for each schema owner: one environment per owner (own version table), shared code.

The catalogue and the inbox keep their tables in the same database. Each owner's `env.py`
calls `run_environment` with its metadata and version table; each compares only its own tables.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from kit.database import create_engine, ensure_sqlite_folder, normalise_database_url


def alembic_config(migrations: Path, url: str) -> Config:
    """An Alembic configuration for the environment in `migrations` on `url` (no alembic.ini)."""
    config = Config()
    config.set_main_option("script_location", str(migrations))
    # ConfigParser treats % as interpolation; URLs may contain percent-escapes.
    config.set_main_option("sqlalchemy.url", normalise_database_url(url).replace("%", "%%"))
    return config


def upgrade(migrations: Path, url: str) -> None:
    """Apply every pending migration of one environment (creates a SQLite file's folder)."""
    ensure_sqlite_folder(url)
    command.upgrade(alembic_config(migrations, url), "head")


def run_environment(metadata: MetaData, version_table: str) -> None:
    """The body of an owner's `env.py`: run its migrations online, or emit SQL offline."""
    url = context.config.get_main_option("sqlalchemy.url") or ""
    if context.is_offline_mode():
        context.configure(
            url=url, target_metadata=metadata, version_table=version_table, literal_binds=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return

    def include_object(
        obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
    ) -> bool:
        # The other owner's tables share the database: never compare or touch them.
        return not (type_ == "table" and reflected and compare_to is None)

    def run(connection: Connection) -> None:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table=version_table,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run_online() -> None:
        engine = create_engine(url)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(run)
                await connection.commit()
        finally:
            await engine.dispose()

    asyncio.run(run_online())
