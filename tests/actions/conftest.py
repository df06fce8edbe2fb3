"""The seeded demo catalogue the action tests answer from."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from catalogue.repository import Catalogue
from tests.catalogue.factories import make_catalogue, seeded_sqlite_url


@pytest.fixture
async def catalogue(tmp_path: Path) -> AsyncIterator[Catalogue]:
    """The demo data seeded at NOW (Tuesday 1 December 2026), on SQLite."""
    catalogue = make_catalogue(seeded_sqlite_url(tmp_path))
    yield catalogue
    await catalogue.dispose()
