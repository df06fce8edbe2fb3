"""Catalogue databases for repository tests: every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from catalogue.repository import Catalogue
from tests.catalogue.factories import (
    NOW,
    empty_tables,
    make_catalogue,
    migrate,
    seed_at,
    seeded_sqlite_url,
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> str:
    """The URL of a SQLite file of this test, or of the session's PostgreSQL database."""
    # A sync fixture: the session's PostgreSQL fixture must not start inside the test's loop.
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


@pytest.fixture
async def db_url(database: str) -> AsyncIterator[str]:
    """A migrated, empty catalogue database on SQLite or PostgreSQL."""
    url = database
    await migrate(url)
    await empty_tables(url)
    yield url


@pytest.fixture
async def catalogue(db_url: str) -> AsyncIterator[Catalogue]:
    """A catalogue on an empty database, its clock fixed at NOW."""
    catalogue = make_catalogue(db_url)
    yield catalogue
    await catalogue.dispose()


@pytest.fixture
async def seeded(database: str, tmp_path: Path) -> AsyncIterator[Catalogue]:
    """A catalogue with the demo data seeded at NOW, its clock fixed at NOW."""
    if database.startswith("sqlite"):
        # A copy of a database migrated and seeded once per run: same data, far faster.
        url = seeded_sqlite_url(tmp_path)
    else:
        url = database
        await migrate(url)
        await empty_tables(url)
        await seed_at(url, NOW)
    catalogue = make_catalogue(url)
    yield catalogue
    await catalogue.dispose()
