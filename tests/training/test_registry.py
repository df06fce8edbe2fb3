"""The model registry: records, the model in service, rollback targets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from training.registry import ModelRecord, ModelRegistry

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def add(registry: ModelRegistry, minutes: int) -> ModelRecord:
    now = T0 + timedelta(minutes=minutes)
    model_id = registry.new_id(now)
    folder = registry.folder(model_id)
    folder.mkdir(parents=True)
    (folder / f"{model_id}.tar.gz").write_bytes(b"model " + model_id.encode())
    record = ModelRecord(
        id=model_id,
        created_at=now,
        data_fingerprint=f"fp{minutes}",
        model_file=f"{model_id}/{model_id}.tar.gz",
    )
    registry.save(record)
    return record


def test_records_round_trip(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    first, second = add(registry, 1), add(registry, 2)
    assert [r.id for r in registry.all()] == [first.id, second.id]
    assert registry.get(first.id) == first
    with pytest.raises(KeyError):
        registry.get("../etc")


def test_activation_history_and_rollback_target(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path)
    a, b, c = add(registry, 1), add(registry, 2), add(registry, 3)
    assert registry.active() is None and registry.previous() is None

    registry.activate(a, "promote", T0)
    registry.activate(b, "promote", T0)
    registry.activate(c, "promote", T0)
    assert registry.active().id == c.id  # type: ignore[union-attr]
    assert registry.get(b.id).status == "retired"
    assert (tmp_path / "active.tar.gz").read_bytes() == b"model " + c.id.encode()
    assert registry.previous().id == b.id  # type: ignore[union-attr]

    registry.activate(b, "rollback", T0)
    assert registry.previous().id == a.id  # type: ignore[union-attr]
    registry.activate(a, "rollback", T0)
    assert registry.previous() is None
    assert registry.stack() == [a.id]
    assert [h.action for h in registry.active_state().history] == [
        "promote",
        "promote",
        "promote",
        "rollback",
        "rollback",
    ]
