"""The catalogue's Alembic history applies, matches the models, and can be undone."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from catalogue.migrate import alembic_config
from catalogue.models import Base
from kit.database import create_engine
from tests.catalogue.factories import migrate


async def _differences(url: str) -> list[object]:
    engine = create_engine(url)

    def compare(connection: Connection) -> list[object]:
        def ours(name: str | None, type_: str, parent_names: object) -> bool:
            # The inbox shares the database: its tables and their indexes are not ours.
            return type_ != "table" or name in Base.metadata.tables

        context = MigrationContext.configure(
            connection,
            opts={"version_table": "alembic_version_catalogue", "include_name": ours},
        )
        return list(compare_metadata(context, Base.metadata))

    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()


async def _tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def test_migrations_match_the_models(database: str) -> None:
    await migrate(database)
    assert await _differences(database) == []


async def test_downgrade_removes_only_catalogue_tables(sqlite_url: str) -> None:
    await migrate(sqlite_url)
    assert "products" in await _tables(sqlite_url)
    await asyncio.to_thread(command.downgrade, alembic_config(sqlite_url), "base")
    assert await _tables(sqlite_url) == {"alembic_version_catalogue"}
