"""The `select()` statements of the model server."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.model_server.models import ModelFile
from inbox_api.nlu_review.models import TrainerSnapshot
from kit.training_tables import SERVING_KEY


async def snapshot(session: AsyncSession, key: str) -> Any:
    """What the training worker last published under `key` (None if never)."""
    found = await session.get(TrainerSnapshot, key, populate_existing=True)
    return found.body if found is not None else None


async def serving(session: AsyncSession) -> dict[str, Any] | None:
    """The "serving" snapshot: which model every Rasa process should run."""
    body = await snapshot(session, SERVING_KEY)
    return body if isinstance(body, dict) and body.get("model_id") else None


async def model_file(session: AsyncSession, model_id: str) -> ModelFile | None:
    """One model's archive, content included."""
    return await session.scalar(select(ModelFile).where(ModelFile.model_id == model_id))
