"""Who a token belongs to is remembered for a few seconds only."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import update

from inbox_api.migrate import upgrade_head
from inbox_api.staff.cache import StaffCache
from inbox_api.staff.models import Staff
from tests.inbox_api.conftest import RasaPeer, make_settings, start_inbox
from tests.inbox_api.staff.factories import agent_headers


def _staff(staff_id: int = 7) -> Staff:
    return Staff(id=staff_id, email="a@linde.test", name="Anna", role="agent", languages=["nl"])


def test_entries_expire_after_the_ttl() -> None:
    now = [100.0]
    cache = StaffCache(5, clock=lambda: now[0])
    cache.put("token-a", _staff())
    known = cache.get("token-a")
    assert known is not None and (known.id, known.role, known.languages) == (7, "agent", ("nl",))
    assert cache.get("token-b") is None
    now[0] += 4.9
    assert cache.get("token-a") is not None
    now[0] += 0.2
    assert cache.get("token-a") is None


def test_each_request_gets_its_own_staff_object() -> None:
    cache = StaffCache(5)
    cache.put("t", _staff())
    known = cache.get("t")
    assert known is not None
    first, second = known.to_staff(), known.to_staff()
    assert first is not second and first.languages is not second.languages


def test_a_zero_ttl_remembers_nothing() -> None:
    cache = StaffCache(0)
    cache.put("t", _staff())
    assert cache.get("t") is None


@pytest.fixture
def migrated_sqlite(sqlite_url: str) -> str:
    """A migrated SQLite inbox database."""
    upgrade_head(sqlite_url)
    return sqlite_url


async def test_switching_an_account_off_takes_effect_within_the_ttl(
    migrated_sqlite: str, rasa_peer: RasaPeer
) -> None:
    inbox, lifespan = await start_inbox(
        make_settings(migrated_sqlite, rasa_peer.url, auth_cache_seconds=0.5)
    )
    try:
        headers = await agent_headers(inbox.runtime, inbox.client)
        assert (await inbox.client.get("/api/v1/tickets", headers=headers)).status_code == 200
        async with inbox.runtime.sessions() as session:
            await session.execute(update(Staff).values(active=False))
            await session.commit()
        # Ticket work still knows them for a moment (no database round trip) ...
        assert (await inbox.client.get("/api/v1/tickets", headers=headers)).status_code == 200
        # ... while their own account page always reads the row ...
        assert (await inbox.client.get("/api/v1/staff/me", headers=headers)).status_code == 401
        await asyncio.sleep(0.6)
        # ... and ticket work refuses them once the cache entry has expired.
        assert (await inbox.client.get("/api/v1/tickets", headers=headers)).status_code == 401
    finally:
        await inbox.client.aclose()
        await lifespan.__aexit__(None, None, None)
