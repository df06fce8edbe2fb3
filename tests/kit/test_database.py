"""The kit's database plumbing: one URL rule, one engine, one UTC type for every schema owner."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, inspect, select, text

from catalogue.migrate import upgrade as catalogue_upgrade
from catalogue.models import Base as CatalogueBase
from catalogue.settings import database_url as catalogue_database_url
from inbox_api.migrate import upgrade_head as inbox_upgrade
from inbox_api.models import Base as InboxBase
from inbox_api.settings import Settings as InboxSettings
from kit.database import (
    DEFAULT_DATABASE_URL,
    REPO_ROOT,
    is_postgres,
    normalise_database_url,
    session_factory,
    sqlite_path,
)
from kit.database import create_engine as create_async_engine
from kit.orm import UtcDateTime

ROOT = Path(__file__).resolve().parents[2]


def test_urls_get_the_async_driver_and_sqlite_paths_the_repo_root() -> None:
    assert normalise_database_url("postgres://u:p@h/db") == "postgresql+asyncpg://u:p@h/db"
    assert normalise_database_url("postgresql://u@h:5/db") == "postgresql+asyncpg://u@h:5/db"
    assert normalise_database_url("sqlite:///var/x.db") == f"sqlite+aiosqlite:///{ROOT}/var/x.db"
    assert normalise_database_url("sqlite:////tmp/x.db") == "sqlite+aiosqlite:////tmp/x.db"
    assert normalise_database_url("sqlite+aiosqlite://") == "sqlite+aiosqlite://"
    assert sqlite_path("sqlite:///:memory:") is None
    assert sqlite_path("postgresql://h/db") is None
    assert REPO_ROOT == ROOT


def test_inbox_and_catalogue_find_the_same_default_file_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DATABASE_URL", "INBOX_DATABASE_URL", "CATALOGUE_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    inbox = InboxSettings().database_url
    assert inbox == catalogue_database_url() == normalise_database_url(DEFAULT_DATABASE_URL)
    assert sqlite_path(inbox) == ROOT / "var" / "linde.db"


def test_both_migrations_land_in_one_file_whatever_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"kit-test-{uuid.uuid4().hex[:10]}.db"
    target = ROOT / "var" / name
    monkeypatch.chdir(tmp_path)
    try:
        catalogue_upgrade(f"sqlite:///var/{name}")
        inbox_upgrade(f"sqlite:///var/{name}")
        assert not (tmp_path / "var").exists()
        engine = create_engine(f"sqlite:///{target}")
        try:
            tables = set(inspect(engine).get_table_names())
        finally:
            engine.dispose()
        assert {"alembic_version_catalogue", "alembic_version_inbox"} <= tables
        assert {"products", "tickets"} <= tables
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)


def test_both_schema_owners_name_constraints_alike() -> None:
    # Names the existing migrations created; a convention change must not rename them.
    catalogue = {c.name for t in CatalogueBase.metadata.tables.values() for c in t.constraints}
    inbox = {c.name for t in InboxBase.metadata.tables.values() for c in t.constraints}
    assert {"uq_products_sku", "uq_registrations_event_email", "pk_products"} <= catalogue
    assert {"uq_sla_events_ticket_id_metric_cycle_kind", "uq_staff_email"} <= inbox
    assert CatalogueBase.metadata.naming_convention == InboxBase.metadata.naming_convention


async def test_sqlite_engine_enforces_foreign_keys_and_keeps_instants_aware(
    sqlite_url: str,
) -> None:
    engine = create_async_engine(sqlite_url)
    metadata = MetaData()
    table = Table("t", metadata, Column("id", Integer, primary_key=True), Column("at", UtcDateTime))
    amsterdam = timezone(timedelta(hours=1))
    try:
        async with engine.begin() as connection:
            assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
            await connection.run_sync(metadata.create_all)
            await connection.execute(
                table.insert().values(id=1, at=datetime(2026, 12, 1, 10, tzinfo=amsterdam))
            )
            stored = (await connection.execute(select(table.c.at))).scalar_one()
            assert stored == datetime(2026, 12, 1, 9, tzinfo=UTC) and stored.tzinfo == UTC
            with pytest.raises(Exception, match="naive"):
                await connection.execute(
                    table.insert().values(id=2, at=datetime(2026, 12, 1, 10))
                )
        async with session_factory(engine)() as session:
            assert not is_postgres(session)
        assert not is_postgres(engine)
    finally:
        await engine.dispose()


@pytest.mark.postgres
async def test_postgres_is_recognised(postgres_url: str) -> None:
    engine = create_async_engine(postgres_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        async with session_factory(engine)() as session:
            assert is_postgres(session)
            assert (await session.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await engine.dispose()
