"""Rasa's API token never reaches an error text or a job record that trainers read.

Rasa accepts the token only as a `token` URL parameter, so any error that quotes a request
URL would carry it. The server here is a small aiohttp stand-in that, like a misconfigured
proxy, echoes the request URL in its error pages.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web

from inbox_api.migrate import upgrade_head
from kit.database import create_engine
from tests.training.test_registry import add
from training.job_queue import JobQueue
from training.paths import ProjectPaths
from training.rasa_server import RasaClient, RasaError, free_port, redact
from training.registry import ModelRegistry
from training.settings import TrainingSettings
from training.worker import Worker

TOKEN = "s3cret-rasa-token-9f2c"
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture
async def echoing_rasa() -> AsyncIterator[str]:
    """A server that refuses everything and quotes the full request URL in its answer."""

    async def refuse(request: web.Request) -> web.Response:
        return web.Response(status=400, text=f"cannot handle {request.url}")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", refuse)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def test_redact_drops_the_secret_and_any_token_parameter() -> None:
    text = f"GET http://rasa:5005/status?token={TOKEN}&x=1 failed; token {TOKEN} again"
    expected = "GET http://rasa:5005/status?token=***&x=1 failed; token *** again"
    assert redact(text, TOKEN) == expected
    # Another secret in a URL is dropped even when the caller did not name it.
    assert redact("'http://h/model?token=other'") == "'http://h/model?token=***'"
    assert redact("no secrets here", "") == "no secrets here"


async def test_client_errors_name_the_request_but_not_the_url(echoing_rasa: str) -> None:
    async with RasaClient(echoing_rasa, TOKEN) as rasa:
        with pytest.raises(RasaError) as refused:
            await rasa.status()
    assert str(refused.value) == "Rasa answered HTTP 400 to GET /status"
    async with RasaClient(f"http://127.0.0.1:{free_port()}", TOKEN) as rasa:
        with pytest.raises(RasaError, match="cannot reach Rasa") as unreachable:
            await rasa.parse("hallo")
    for error in (refused.value, unreachable.value):
        # Neither the message nor a chained httpx error in a printed traceback.
        assert TOKEN not in "".join(traceback.format_exception(error))


async def test_a_failed_job_record_does_not_show_the_token(
    echoing_rasa: str, tmp_path: Path, sqlite_url: str
) -> None:
    await asyncio.to_thread(upgrade_head, sqlite_url)
    paths = ProjectPaths.at(tmp_path)
    registry = ModelRegistry(paths.models)
    first, second = add(registry, 1), add(registry, 2)
    registry.activate(first, "promote", NOW)
    registry.activate(second, "promote", NOW)
    settings = TrainingSettings(
        root_dir=tmp_path, rasa_url=echoing_rasa, rasa_token=TOKEN, database_url=sqlite_url
    )
    engine = create_engine(settings.database_url)
    try:
        queue = JobQueue(engine)
        job = await queue.enqueue("rollback", NOW)
        finished = await Worker(settings, queue).run_one(job["id"])
        stored = await queue.get(job["id"])
    finally:
        await engine.dispose()

    assert finished is not None and finished.status == "failed"
    # The refusal is still explained; only the token is gone.
    assert finished.message.startswith("Rasa refused the model (400): cannot handle")
    assert "token=***" in (finished.error or "")
    assert stored is not None and TOKEN not in f"{stored}"
    assert registry.active().id == second.id  # type: ignore[union-attr]
