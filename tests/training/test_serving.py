"""Pull mode: promotions and rollbacks are published for every Rasa process, not PUT into one."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from inbox_api.migrate import upgrade_head
from kit.database import create_engine
from tests.training.test_registry import add
from training.paths import ProjectPaths
from training.promotion import publish_serving_model, rollback_model
from training.rasa_server import RasaClient, free_port
from training.registry import ModelRegistry
from training.serving import PublishForPull, ServedModels

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def served(sqlite_url: str) -> AsyncIterator[ServedModels]:
    await asyncio.to_thread(upgrade_head, sqlite_url)
    engine = create_engine(sqlite_url)
    try:
        yield ServedModels(engine)
    finally:
        await engine.dispose()


async def test_a_rollback_in_pull_mode_is_published_and_no_rasa_is_called(
    tmp_path: Path, served: ServedModels
) -> None:
    registry = ModelRegistry(tmp_path)
    first, second = add(registry, 1), add(registry, 2)
    delivery = PublishForPull(served)
    await delivery.deliver(registry, first, NOW)
    registry.activate(first, "promote", NOW)
    await delivery.deliver(registry, second, NOW)
    registry.activate(second, "promote", NOW)
    assert (await served.serving()) == {"model_id": second.id, "file_name": f"{second.id}.tar.gz"}
    # Nothing listens at this Rasa: a PUT /model would fail the rollback.
    async with RasaClient(f"http://127.0.0.1:{free_port()}", "token") as rasa:
        back = await rollback_model(registry, rasa, NOW, delivery=delivery)
    assert back.id == first.id
    assert (await served.serving() or {})["model_id"] == first.id
    assert registry.active().id == first.id  # type: ignore[union-attr]


async def test_the_worker_serves_the_newer_of_make_trains_model_and_the_promoted_one(
    tmp_path: Path, served: ServedModels
) -> None:
    paths = ProjectPaths.at(tmp_path)
    paths.models.mkdir()
    registry = ModelRegistry(paths.models)
    assert await publish_serving_model(paths, registry, served, NOW) is None
    assert await served.serving() is None

    # `make train` wrote a model and nothing was promoted yet: it is adopted and served.
    trained = paths.models / "current.tar.gz"
    trained.write_bytes(b"made by make train")
    adopted = await publish_serving_model(paths, registry, served, NOW)
    assert adopted is not None and registry.active_state().history[-1].action == "adopt"
    assert (await served.serving() or {})["model_id"] == adopted.id
    # Starting again changes nothing.
    again = await publish_serving_model(paths, registry, served, NOW + timedelta(minutes=1))
    assert again is not None and again.id == adopted.id and len(registry.all()) == 1

    # A trainer promotes a model; a later restart keeps serving it...
    promoted = add(registry, 5)
    registry.activate(promoted, "promote", NOW)
    assert (await publish_serving_model(paths, registry, served, NOW)).id == promoted.id  # type: ignore[union-attr]
    assert (await served.serving() or {})["model_id"] == promoted.id
    # ...until `make train` writes a newer model, as `make run` would then run that one.
    later = (paths.models / "active.tar.gz").lstat().st_mtime + 10
    os.utime(trained, (later, later))
    newest = await publish_serving_model(paths, registry, served, NOW)
    assert newest is not None and newest.id not in (adopted.id, promoted.id)
    assert registry.model_path(newest).read_bytes() == b"made by make train"
    assert (await served.serving() or {})["model_id"] == newest.id
