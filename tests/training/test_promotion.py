"""Promotion and rollback refusals that need no Rasa model (the registry stays unchanged)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.training.test_registry import add
from training.promotion import PromotionError, rollback_model
from training.rasa_server import RasaClient, RasaError, free_port
from training.registry import ModelRegistry

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


async def test_rollback_needs_an_earlier_model(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    only = add(registry, 1)
    registry.activate(only, "promote", NOW)
    async with RasaClient(f"http://127.0.0.1:{free_port()}", "token") as rasa:
        with pytest.raises(PromotionError, match="no earlier model"):
            await rollback_model(registry, rasa, NOW)
        never = add(registry, 2)
        with pytest.raises(PromotionError, match="never in service"):
            await rollback_model(registry, rasa, NOW, to=never.id)
    assert registry.active().id == only.id  # type: ignore[union-attr]


async def test_unreachable_rasa_changes_nothing(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    first, second = add(registry, 1), add(registry, 2)
    registry.activate(first, "promote", NOW)
    registry.activate(second, "promote", NOW)
    # Nothing listens on this port: the swap cannot happen, so the registry must not move.
    async with RasaClient(f"http://127.0.0.1:{free_port()}", "token") as rasa:
        with pytest.raises(RasaError, match="cannot reach Rasa"):
            await rollback_model(registry, rasa, NOW)
    assert registry.active().id == second.id  # type: ignore[union-attr]
    assert len(registry.active_state().history) == 2


async def test_model_rasa_already_runs_is_adopted_as_the_baseline(tmp_path: Path) -> None:
    from aiohttp import web

    from training.paths import ProjectPaths
    from training.promotion import adopt_running_model

    paths = ProjectPaths.at(tmp_path)
    paths.models.mkdir()
    (paths.models / "20261121-made-by-make-train.tar.gz").write_bytes(b"outside model")

    async def status(request: web.Request) -> web.Response:
        assert request.query["token"] == "token"
        return web.json_response({"model_file": "20261121-made-by-make-train.tar.gz"})

    app = web.Application()
    app.router.add_get("/status", status)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    registry = ModelRegistry(paths.models)
    try:
        async with RasaClient(f"http://127.0.0.1:{port}", "token") as rasa:
            adopted = await adopt_running_model(paths, registry, rasa, NOW)
            assert adopted is not None
            assert registry.model_path(adopted).read_bytes() == b"outside model"
            assert registry.active_state().history[0].action == "adopt"
            # Once the registry has a model in service, nothing more is adopted.
            again = await adopt_running_model(paths, registry, rasa, NOW)
            assert again is not None and again.id == adopted.id
            assert len(registry.all()) == 1
    finally:
        await runner.cleanup()
