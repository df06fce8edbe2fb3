"""The inbox's migrations create exactly what its models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from inbox_api.models import Base
from kit.database import create_engine


async def _differences(url: str) -> list[object]:
    engine = create_engine(url)

    def compare(connection: Connection) -> list[object]:
        def ours(name: str | None, type_: str, parent_names: object) -> bool:
            # The catalogue (and Rasa, on PostgreSQL) share the database: only our tables count.
            return type_ != "table" or name in Base.metadata.tables

        context = MigrationContext.configure(
            connection, opts={"version_table": "alembic_version_inbox", "include_name": ours}
        )
        return list(compare_metadata(context, Base.metadata))

    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()


async def test_migrations_match_the_models(database_url: str) -> None:
    assert await _differences(database_url) == []
