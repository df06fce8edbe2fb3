"""Catalogue databases for repository tests: every test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from catalogue.repository import Catalogue
from tests.catalogue.factories import NOW, empty_tables, make_catalogue, migrate, seed_at


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
async def seeded(db_url: str) -> AsyncIterator[Catalogue]:
    """A catalogue with the demo data seeded at NOW, its clock fixed at NOW."""
    await seed_at(db_url, NOW)
    catalogue = make_catalogue(db_url)
    yield catalogue
    await catalogue.dispose()
