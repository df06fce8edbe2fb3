"""Putting a model into service: load it into the one Rasa server, or publish it for every one.

Two ways, chosen by `RASA_MODEL_PULL_SECONDS`:
- 0 (the embedded default): `PUT /model` on the Rasa server at `RASA_URL`, as always;
- more than 0 (several Rasa processes): the archive goes into the inbox database
  (`training_model_files`) and the "serving" snapshot names it; the inbox serves it with the
  model's id as ETag (`GET /api/v1/model-server/model`), and every Rasa process pulls it every
  that many seconds through the `models:` endpoint of its generated endpoints.yml.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from kit.database import is_postgres
from kit.training_tables import SERVING_KEY, declare_model_files_table
from training.job_queue import JobQueue, metadata
from training.paths import ProjectPaths
from training.rasa_server import RasaClient
from training.registry import ModelRecord, ModelRegistry

model_files = declare_model_files_table(metadata)


def served_file_name(record: ModelRecord) -> str:
    """The name a pulled archive gets in Rasa (its GET /status `model_file`)."""
    return f"{record.id}.tar.gz"


class ModelDelivery(Protocol):
    """Puts a model from the registry into service."""

    pulled: bool  # True: the Rasa processes fetch it themselves, within the pull interval

    async def deliver(self, registry: ModelRegistry, record: ModelRecord, now: datetime) -> None:
        """Make `record` the model the assistant runs (raises when it cannot)."""


class LoadIntoRasa:
    """`PUT /model` on the one Rasa server (the embedded default)."""

    pulled = False

    def __init__(self, rasa: RasaClient) -> None:
        self.rasa = rasa

    async def deliver(self, registry: ModelRegistry, record: ModelRecord, now: datetime) -> None:
        """Load the archive into the running server and check it reports it."""
        await self.rasa.load_model(registry.model_path(record))


def _read_archive(path: Path) -> tuple[bytes, str]:
    content = path.read_bytes()
    return content, hashlib.sha256(content).hexdigest()


class ServedModels:
    """The archives in `training_model_files` and the "serving" snapshot that names one."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.queue = JobQueue(engine)

    async def has_file(self, model_id: str) -> bool:
        """Whether the model's archive is stored already (archives never change)."""
        query = select(model_files.c.model_id).where(model_files.c.model_id == model_id)
        async with self.engine.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def store(self, registry: ModelRegistry, record: ModelRecord, now: datetime) -> str:
        """Store the model's archive once; its SHA-256."""
        content, digest = await asyncio.to_thread(_read_archive, registry.model_path(record))
        insert = (postgresql if is_postgres(self.engine) else sqlite).insert(model_files)
        statement = insert.values(
            model_id=record.id,
            file_name=served_file_name(record),
            sha256=digest,
            size=len(content),
            content=content,
            created_at=now,
        ).on_conflict_do_nothing(index_elements=[model_files.c.model_id])
        async with self.engine.begin() as conn:
            await conn.execute(statement)
        return digest

    async def serve(self, registry: ModelRegistry, record: ModelRecord, now: datetime) -> None:
        """Make `record` the model the inbox hands to every Rasa process."""
        if not await self.has_file(record.id):
            await self.store(registry, record, now)
        body = {"model_id": record.id, "file_name": served_file_name(record)}
        await self.queue.publish(SERVING_KEY, body, now)

    async def serving(self) -> dict[str, Any] | None:
        """What the "serving" snapshot names, if anything."""
        found = await self.queue.snapshot(SERVING_KEY)
        return dict(found[0]) if found else None


class PublishForPull:
    """Every Rasa process pulls the model from the inbox (several processes)."""

    pulled = True

    def __init__(self, served: ServedModels) -> None:
        self.served = served

    async def deliver(self, registry: ModelRegistry, record: ModelRecord, now: datetime) -> None:
        """Store the archive and name it as the one to serve."""
        await self.served.serve(registry, record, now)


def trained_model_is_newer(paths: ProjectPaths) -> bool:
    """Whether `make train`'s models/current.tar.gz is newer than the promoted model.

    The same rule as `make run` (scripts/stack.py, serving_model): the newer one is served.
    """
    trained = paths.models / "current.tar.gz"
    promoted = paths.models / "active.tar.gz"
    if not trained.is_file():
        return False
    return not promoted.exists() or promoted.lstat().st_mtime < trained.stat().st_mtime
