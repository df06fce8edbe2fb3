"""Fixtures: an inbox sharing its database with the seeded catalogue (one SQLite file)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.inbox_api.answers.shop import shop_inbox, shop_sqlite_url
from tests.inbox_api.conftest import Inbox, RasaPeer


@pytest.fixture
def shop_url(tmp_path: Path) -> str:
    """One database: the catalogue seeded today, the inbox migrated and empty.

    PostgreSQL runs the same statements in test_catalogue_contract.py.
    """
    return shop_sqlite_url(tmp_path)


@pytest.fixture
async def shop(shop_url: str, rasa_peer: RasaPeer) -> AsyncIterator[Inbox]:
    """The inbox on the shop database."""
    async with shop_inbox(shop_url, rasa_peer.url) as running:
        yield running
