"""Inbox fixtures: a migrated database (SQLite and PostgreSQL), a Rasa-like peer, a running app."""

from __future__ import annotations

import asyncio
import json
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web
from fastapi import FastAPI

from inbox_api.app import create_app
from inbox_api.migrate import upgrade_head
from inbox_api.runtime import Runtime
from inbox_api.settings import Settings
from kit.delivery_signature import is_signed_delivery

INBOX_TABLES = (
    "follow_ups, csat_surveys, agent_states, teams, "
    "sla_events, deliveries, ticket_status_changes, ticket_messages, tickets, staff, "
    "bot_conversations, training_model_files, "
    "training_jobs, training_snapshots, login_failures, privacy_reveals, privacy_runs, "
    "saved_reply_changes, saved_replies, notifications"
)
SERVICE_TOKEN = "service-token-for-tests"
JWT_SECRET = "jwt-secret-for-tests-only-0123456789"
RASA_TOKEN = "rasa-token-for-tests"
DELIVERY_SECRET = "delivery-signing-secret-for-tests"


def truncate_inbox(url: str) -> None:
    """Empty every inbox table (PostgreSQL), keeping the schema."""
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            await conn.execute(f"TRUNCATE {INBOX_TABLES} RESTART IDENTITY CASCADE")
        finally:
            await conn.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def pg_inbox_url(postgres_url: str) -> str:
    """The session's PostgreSQL database with the inbox migrations applied."""
    upgrade_head(postgres_url)
    return postgres_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """A migrated, empty inbox database: a SQLite file, or the real PostgreSQL server."""
    if request.param == "sqlite":
        upgrade_head(sqlite_url)
        return sqlite_url
    url: str = request.getfixturevalue("pg_inbox_url")
    truncate_inbox(url)
    return url


@dataclass
class RasaPeer:
    """A tiny real HTTP server that answers like Rasa's trigger_intent endpoint."""

    url: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)
    # Deliveries whose signature did not verify (the action server would refuse them).
    unsigned: list[dict[str, Any]] = field(default_factory=list)
    # While > 0, answer 503 and count down; `down` answers 503 until switched back.
    fail_next: int = 0
    down: bool = False
    # conversation id -> reason: answer as Rasa does when the channel refused the message.
    refuse: dict[str, str] = field(default_factory=dict)
    # Agent texts Rasa itself rejects for good (HTTP 400, as Rasa words it).
    reject_texts: set[str] = field(default_factory=set)
    # Seconds Rasa takes to answer after it has taken the message (a slow Rasa).
    delay: float = 0.0
    # What the relay action does before showing a reply: (conversation, delivery id) -> show?
    relay_check: Callable[[str, str], Awaitable[bool]] | None = None
    # (conversation, text) of every agent reply the customer actually saw.
    shown: list[tuple[str, str]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def texts(self, conversation_id: str) -> list[str]:
        """Agent messages received for one conversation, in arrival order."""
        return [
            c["body"]["entities"]["agent_message"]
            for c in self.calls
            if c["conversation_id"] == conversation_id
            and c["body"]["name"] == "EXTERNAL_agent_message"
        ]

    async def wait_for(self, count: int, within: float = 10.0) -> None:
        """Until `count` calls have been accepted."""
        async with asyncio.timeout(within):
            while len(self.calls) < count:
                self.arrived.clear()
                await self.arrived.wait()


@pytest.fixture
async def rasa_peer() -> AsyncIterator[RasaPeer]:
    """A Rasa-like HTTP server on a free port."""
    peer = RasaPeer()

    async def trigger(request: web.Request) -> web.Response:
        if peer.down or peer.fail_next > 0:
            peer.fail_next = max(0, peer.fail_next - 1)
            return web.Response(status=503, text="unavailable")
        if request.query.get("token") != RASA_TOKEN:
            return web.Response(status=401, text="bad token")
        if request.match_info["cid"] in peer.refuse:
            # Rasa's trigger_intent error body when the output channel raised.
            reason = peer.refuse[request.match_info["cid"]]
            return web.json_response({
                "version": "3.6.21", "status": "failure", "reason": "ConversationError",
                "message": f"An unexpected error occurred. Error: CHANNEL_REFUSED: {reason}",
                "code": 500}, status=500)
        body = json.loads(await request.text())
        entities = body.get("entities") or {}
        if entities.get("agent_message") in peer.reject_texts:
            return web.json_response(
                {"status": "failure", "reason": "BadRequest", "code": 400,
                 "message": "Value 'x' is not a valid entity"},
                status=400,
            )
        if not is_signed_delivery(
            DELIVERY_SECRET, body["name"], request.match_info["cid"],
            entities.get("delivery_id"), entities.get("agent_message", ""),
            entities.get("delivery_signature"),
        ):
            # What the action server does with an unsigned delivery: nothing reaches anyone.
            peer.unsigned.append(body)
            return web.json_response({"tracker": {}, "messages": []})
        cid = request.match_info["cid"]
        peer.calls.append({"conversation_id": cid, "query": dict(request.query), "body": body})
        if body["name"] == "EXTERNAL_agent_message" and (
            peer.relay_check is None or await peer.relay_check(cid, entities["delivery_id"])
        ):
            peer.shown.append((cid, entities["agent_message"]))
        peer.arrived.set()
        if peer.delay:
            await asyncio.sleep(peer.delay)
        return web.json_response({"tracker": {}, "messages": []})

    app = web.Application()
    app.router.add_post("/conversations/{cid}/trigger_intent", trigger)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    peer.url = f"http://127.0.0.1:{port}"
    try:
        yield peer
    finally:
        await runner.cleanup()


def make_settings(database_url: str, rasa_url: str, **overrides: Any) -> Settings:
    """Settings of a test app (never the environment's defaults for anything that matters)."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "redis_url": None,
        "rasa_url": rasa_url,
        "rasa_token": RASA_TOKEN,
        "service_token": SERVICE_TOKEN,
        "jwt_secret": JWT_SECRET,
        "delivery_signing_secret": DELIVERY_SECRET,
        "delivery_poll_seconds": 0.05,
        "delivery_max_backoff_seconds": 0.2,
        # Never the checkout's own Rasa conversations (var/rasa_tracker.db).
        "rasa_tracker_db": Path(tempfile.gettempdir()) / f"no-rasa-tracker-{uuid.uuid4().hex}.db",
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class Inbox:
    """A running app with a client."""

    app: FastAPI
    client: httpx.AsyncClient

    @property
    def runtime(self) -> Runtime:
        """The app's collaborators."""
        runtime: Runtime = self.app.state.runtime
        return runtime


async def start_inbox(settings: Settings) -> tuple[Inbox, Any]:
    """Start an app's lifespan and a client; returns the inbox and the lifespan to close."""
    app = create_app(settings)
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://inbox.test")
    return Inbox(app, client), lifespan


@pytest.fixture
async def inbox(database_url: str, rasa_peer: RasaPeer) -> AsyncIterator[Inbox]:
    """The inbox API on a migrated database, without Redis (in-process fallbacks)."""
    running, lifespan = await start_inbox(make_settings(database_url, rasa_peer.url))
    try:
        yield running
    finally:
        await running.client.aclose()
        await lifespan.__aexit__(None, None, None)


@pytest.fixture
def service_headers() -> Iterator[dict[str, str]]:
    """The action server's credentials."""
    yield {"Authorization": f"Bearer {SERVICE_TOKEN}"}
