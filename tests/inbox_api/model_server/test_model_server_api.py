"""The inbox serves the promoted model to Rasa (ETag, 304, token) and lists who runs what."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from inbox_api.settings import Settings
from kit.database import create_engine
from tests.inbox_api.conftest import RASA_TOKEN, Inbox, make_settings, start_inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.training.test_registry import add
from training.registry import ModelRegistry
from training.serving import ServedModels

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PULL_TOKEN = "model-server-token-for-tests"


async def _inbox(settings: Settings) -> AsyncIterator[Inbox]:
    running, lifespan = await start_inbox(settings)
    try:
        yield running
    finally:
        await running.client.aclose()
        await lifespan.__aexit__(None, None, None)


@pytest.fixture
async def status_peer() -> AsyncIterator[tuple[str, dict[str, str]]]:
    """A Rasa-like GET /status that reports whatever the test puts in the dict."""
    reported: dict[str, str] = {}

    async def status(request: web.Request) -> web.Response:
        if request.query.get("token") != RASA_TOKEN:
            return web.Response(status=401)
        return web.json_response(reported)

    app = web.Application()
    app.router.add_get("/status", status)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", reported
    finally:
        await runner.cleanup()


async def test_rasa_pulls_the_served_model_with_its_token_and_gets_304_while_it_has_it(
    database_url: str, tmp_path: Path, status_peer: tuple[str, dict[str, str]]
) -> None:
    peer_url, reported = status_peer
    settings = make_settings(
        database_url, peer_url, model_server_token=PULL_TOKEN, model_pull_seconds=5,
        # The second one does not answer.
        rasa_replica_urls=[peer_url, "http://127.0.0.1:9"],
    )
    registry = ModelRegistry(tmp_path)
    first, second = add(registry, 1), add(registry, 2)
    engine = create_engine(database_url)
    served = ServedModels(engine)
    pull = {"Authorization": f"Bearer {PULL_TOKEN}"}
    try:
        async for inbox in _inbox(settings):
            client = inbox.client
            missing = await client.get("/api/v1/model-server/model", headers=pull)
            assert missing.status_code == 404  # Rasa retries at its next pull

            await served.serve(registry, first, NOW)
            got = await client.get("/api/v1/model-server/model", headers=pull)
            assert got.status_code == 200
            assert got.content == registry.model_path(first).read_bytes()
            assert got.headers["etag"] == f'"{first.id}"'
            assert got.headers["filename"] == f"{first.id}.tar.gz"

            # Rasa sends back the ETag it got as its fingerprint.
            same = await client.get(
                "/api/v1/model-server/model", headers={**pull, "If-None-Match": f'"{first.id}"'}
            )
            assert same.status_code == 304 and same.content == b""

            for refused in (
                {},
                {"Authorization": "Bearer wrong"},
                {"Authorization": PULL_TOKEN},
                {"Authorization": f"Bearer {RASA_TOKEN}"},
            ):
                answer = await client.get("/api/v1/model-server/model", headers=refused)
                assert answer.status_code == 401, refused
            in_url = await client.get(f"/api/v1/model-server/model?token={PULL_TOKEN}")
            assert in_url.status_code == 401

            # A promotion (or a rollback) changes the tag: the old one gets the new archive.
            await served.serve(registry, second, NOW)
            newer = await client.get(
                "/api/v1/model-server/model", headers={**pull, "If-None-Match": f'"{first.id}"'}
            )
            assert newer.status_code == 200 and newer.headers["etag"] == f'"{second.id}"'
            assert newer.content == registry.model_path(second).read_bytes()

            # The trainer sees which model each Rasa process reports.
            reported.update(model_file=f"{first.id}.tar.gz", model_id="rasa-uuid-1")
            trainer = await agent_headers(
                inbox.runtime, client, email="trainer@linde.test", role="trainer"
            )
            await served.queue.publish(
                "models",
                [
                    {"id": second.id, "active": True, "file_name": f"{second.id}.tar.gz"},
                    {"id": first.id, "active": False, "file_name": f"{first.id}.tar.gz"},
                ],
                NOW,
            )
            listed = await client.get("/api/v1/model-server/replicas", headers=trainer)
            assert listed.status_code == 200, listed.text
            body = listed.json()
            assert body["pull"] is True and body["serving"] == second.id
            live, down = body["replicas"]
            assert live["url"] == peer_url and live["reachable"] is True
            assert live["model"] == first.id and live["current"] is False
            assert live["rasa_model_id"] == "rasa-uuid-1"
            assert down["reachable"] is False and down["model"] is None
            agent = await agent_headers(inbox.runtime, client, email="agent@linde.test")
            forbidden = await client.get("/api/v1/model-server/replicas", headers=agent)
            assert forbidden.status_code == 403
    finally:
        await engine.dispose()


async def test_without_a_model_server_token_nobody_pulls(database_url: str) -> None:
    settings = make_settings(database_url, "http://127.0.0.1:9", model_server_token="")
    async for inbox in _inbox(settings):
        for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": "Bearer x"}):
            answer = await inbox.client.get("/api/v1/model-server/model", headers=headers)
            assert answer.status_code == 401
