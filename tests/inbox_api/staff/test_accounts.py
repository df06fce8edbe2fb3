"""Staff accounts under attack: login floods, hashing off the loop, revoked and expiring tokens."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from inbox_api.app import create_app
from inbox_api.migrate import upgrade_head
from inbox_api.staff.security import DUMMY_HASH, issue_token, verify_password_off_loop
from inbox_api.staff.throttle import DatabaseFailureLog, LoginThrottle, ThrottleLimits
from kit.clock import utc_now
from tests.inbox_api.conftest import JWT_SECRET, Inbox, RasaPeer, make_settings, start_inbox
from tests.inbox_api.server import running_server
from tests.inbox_api.staff.factories import PASSWORD, agent_headers, login_headers, make_staff

LOGIN = "/api/v1/auth/login"


async def _login(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(LOGIN, json={"email": email, "password": password})


async def test_a_login_flood_gets_429_with_retry_after(inbox: Inbox) -> None:
    await make_staff(inbox.runtime, email="eva@linde.test")
    for _ in range(5):
        assert (await _login(inbox.client, "eva@linde.test", "guess")).status_code == 401
    # Now even the right password waits: the guesser cannot tell a hit from a miss.
    blocked = await _login(inbox.client, "eva@linde.test", PASSWORD)
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["retry-after"]) <= 15 * 60
    assert blocked.json()["detail"].startswith("Too many failed logins; try again in 15 minutes")
    # An unknown address is throttled the same way (no hint that an account exists).
    for _ in range(5):
        assert (await _login(inbox.client, "nobody@linde.test", "guess")).status_code == 401
    assert (await _login(inbox.client, "nobody@linde.test", "guess")).status_code == 429
    # Another account from the same address is still let in.
    await make_staff(inbox.runtime, email="bo@linde.test")
    assert (await _login(inbox.client, "bo@linde.test", PASSWORD)).status_code == 200


async def test_a_good_login_clears_the_accounts_failures(inbox: Inbox) -> None:
    await make_staff(inbox.runtime, email="eva@linde.test")
    for _ in range(4):
        await _login(inbox.client, "eva@linde.test", "guess")
    assert (await _login(inbox.client, "eva@linde.test", PASSWORD)).status_code == 200
    for _ in range(4):
        assert (await _login(inbox.client, "eva@linde.test", "guess")).status_code == 401


async def test_the_client_address_is_throttled_across_accounts(
    database_url: str, rasa_peer: RasaPeer
) -> None:
    settings = make_settings(database_url, rasa_peer.url, login_failures_per_address=3)
    inbox, lifespan = await start_inbox(settings)
    try:
        for n in range(3):
            assert (await _login(inbox.client, f"a{n}@linde.test", "guess")).status_code == 401
        refused = await _login(inbox.client, "fresh@linde.test", "guess")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    finally:
        await inbox.client.aclose()
        await lifespan.__aexit__(None, None, None)


@pytest.mark.redis
async def test_failures_count_across_workers_through_redis(
    database_url: str, rasa_peer: RasaPeer, redis_url: str, redis_prefix: str
) -> None:
    settings = make_settings(
        database_url, rasa_peer.url, redis_url=redis_url, redis_prefix=redis_prefix
    )
    a, lifespan_a = await start_inbox(settings)
    b, lifespan_b = await start_inbox(settings)
    try:
        await make_staff(a.runtime, email="eva@linde.test")
        for client in (a.client, b.client, a.client, b.client, a.client):
            assert (await _login(client, "eva@linde.test", "guess")).status_code == 401
        assert (await _login(b.client, "eva@linde.test", PASSWORD)).status_code == 429
    finally:
        for running, lifespan in ((a, lifespan_a), (b, lifespan_b)):
            await running.client.aclose()
            await lifespan.__aexit__(None, None, None)


async def test_failures_count_across_workers_through_the_database(
    database_url: str, rasa_peer: RasaPeer
) -> None:
    settings = make_settings(database_url, rasa_peer.url)
    a, lifespan_a = await start_inbox(settings)
    b, lifespan_b = await start_inbox(settings)
    try:
        for client in (a.client, b.client, a.client, b.client, a.client):
            assert (await _login(client, "eva@linde.test", "guess")).status_code == 401
        assert (await _login(b.client, "eva@linde.test", "guess")).status_code == 429
    finally:
        for running, lifespan in ((a, lifespan_a), (b, lifespan_b)):
            await running.client.aclose()
            await lifespan.__aexit__(None, None, None)


async def test_the_window_slides_with_the_time_passed_in(inbox: Inbox) -> None:
    window = timedelta(minutes=15)
    throttle = LoginThrottle(
        DatabaseFailureLog(inbox.runtime.sessions),
        ThrottleLimits(per_account=3, per_address=100, window=window),
    )
    start = utc_now()
    for minute in range(3):
        await throttle.failed("eva@linde.test", "10.0.0.1", start + timedelta(minutes=minute))
    assert await throttle.retry_after("eva@linde.test", "10.0.0.1", start + timedelta(minutes=5))
    # Free again when the first failure has left the window: 15 minutes after it.
    wait = await throttle.retry_after("eva@linde.test", "10.0.0.9", start + timedelta(minutes=10))
    assert wait == 5 * 60
    later = start + window + timedelta(seconds=1)
    assert await throttle.retry_after("eva@linde.test", "10.0.0.1", later) is None


async def test_password_hashing_leaves_the_event_loop_free() -> None:
    ticks = 0
    verifying = asyncio.create_task(verify_password_off_loop(DUMMY_HASH, "guess"))
    while not verifying.done():
        ticks += 1
        await asyncio.sleep(0)
    # On the loop, argon2 would finish inside one step and nothing else would have run.
    assert not verifying.result() and ticks > 10


async def test_a_password_change_revokes_the_old_tokens(inbox: Inbox) -> None:
    old = await agent_headers(inbox.runtime, inbox.client, email="eva@linde.test")
    other_device = await login_headers(inbox.client, "eva@linde.test")
    wrong = await inbox.client.post(
        "/api/v1/staff/me/password",
        json={"current": "not it", "new": "a-brand-new-password"},
        headers=old,
    )
    assert wrong.status_code == 422
    changed = await inbox.client.post(
        "/api/v1/staff/me/password",
        json={"current": PASSWORD, "new": "a-brand-new-password"},
        headers=old,
    )
    assert changed.status_code == 204
    for headers in (old, other_device):
        refused = await inbox.client.get("/api/v1/staff/me", headers=headers)
        assert refused.status_code == 401
        assert "log in again" in refused.json()["detail"]
    assert (await _login(inbox.client, "eva@linde.test", PASSWORD)).status_code == 401
    fresh = await _login(inbox.client, "eva@linde.test", "a-brand-new-password")
    token = fresh.json()["access_token"]
    me = await inbox.client.get("/api/v1/staff/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


async def test_switching_an_account_off_ends_its_tokens(inbox: Inbox) -> None:
    admin = await agent_headers(inbox.runtime, inbox.client, email="boss@linde.test", role="admin")
    agent_id = await make_staff(inbox.runtime, email="eva@linde.test")
    agent = await login_headers(inbox.client, "eva@linde.test")
    off = await inbox.client.put(
        f"/api/v1/staff/{agent_id}/active", json={"active": False}, headers=admin
    )
    assert off.status_code == 200
    assert (await inbox.client.get("/api/v1/tickets", headers=agent)).status_code == 401
    on = await inbox.client.put(
        f"/api/v1/staff/{agent_id}/active", json={"active": True}, headers=admin
    )
    assert on.status_code == 200
    # Switching back on does not bring the old token back.
    assert (await inbox.client.get("/api/v1/tickets", headers=agent)).status_code == 401
    assert (await _login(inbox.client, "eva@linde.test", PASSWORD)).status_code == 200
    refused = await inbox.client.put(
        f"/api/v1/staff/{agent_id}/active", json={"active": False}, headers=agent
    )
    assert refused.status_code == 401


async def _stream_events(url: str, token: str) -> AsyncIterator[tuple[str, dict[str, object]]]:
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        httpx.AsyncClient(base_url=url, timeout=30) as client,
        client.stream("GET", "/api/v1/live/events", headers=headers) as response,
    ):
        assert response.status_code == 200
        kind = "message"
        async for line in response.aiter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: "):
                yield kind, json.loads(line.removeprefix("data: "))


async def _events_until_closed(url: str, token: str) -> list[tuple[str, dict[str, object]]]:
    return [event async for event in _stream_events(url, token)]


@pytest.fixture
async def served(sqlite_url: str, rasa_peer: RasaPeer) -> AsyncIterator[tuple[str, Inbox]]:
    """The inbox under uvicorn (live streams need a real server), re-checking tokens often."""
    await asyncio.to_thread(upgrade_head, sqlite_url)
    app = create_app(make_settings(sqlite_url, rasa_peer.url, token_recheck_seconds=0.5))
    async with running_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        yield url, Inbox(app, client)


async def test_a_live_stream_ends_when_its_token_expires(served: tuple[str, Inbox]) -> None:
    url, inbox = served
    staff_id = await make_staff(inbox.runtime, email="eva@linde.test")
    # Issued 59 min 58 s ago for an hour: two seconds left.
    token = issue_token(
        JWT_SECRET, staff_id, "agent", utc_now() - timedelta(minutes=59, seconds=58), 60
    )
    async with asyncio.timeout(15):
        events = await _events_until_closed(url, token)
    assert events[0][0] == "ready"
    assert events[-1] == ("session_ended", {"reason": "expired"})


async def test_a_live_stream_ends_when_its_token_is_revoked(served: tuple[str, Inbox]) -> None:
    url, inbox = served
    headers = await agent_headers(inbox.runtime, inbox.client, email="eva@linde.test")
    token = headers["Authorization"].removeprefix("Bearer ")
    listening = asyncio.create_task(_events_until_closed(url, token))
    await asyncio.sleep(0.5)
    assert not listening.done()
    changed = await inbox.client.post(
        "/api/v1/staff/me/password",
        json={"current": PASSWORD, "new": "a-brand-new-password"},
        headers=headers,
    )
    assert changed.status_code == 204
    async with asyncio.timeout(10):
        events = await listening
    assert events[-1] == ("session_ended", {"reason": "revoked"})
    # Nobody's stream sees whose tokens ended.
    assert all(kind != "staff.revoked" for kind, _ in events)
