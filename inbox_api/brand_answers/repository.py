"""The statements on the answer tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.brand_answers.models import Answer, AnswerVersion


async def all_answers(session: AsyncSession) -> Sequence[Answer]:
    """Every answer, by topic."""
    return list(await session.scalars(select(Answer).order_by(Answer.topic)))


async def answer(session: AsyncSession, topic: str) -> Answer | None:
    """One answer, read fresh from the database."""
    return await session.scalar(
        select(Answer).where(Answer.topic == topic).execution_options(populate_existing=True)
    )


async def history(session: AsyncSession, topic: str, limit: int) -> Sequence[AnswerVersion]:
    """An answer's versions, newest first."""
    statement = (
        select(AnswerVersion)
        .where(AnswerVersion.topic == topic)
        .order_by(AnswerVersion.version.desc())
        .limit(limit)
    )
    return list(await session.scalars(statement))


async def replace_if_current(
    session: AsyncSession,
    topic: str,
    base_version: int,
    body_en: str,
    body_nl: str,
    by: str,
    now: datetime,
) -> bool:
    """Write a new version only if `base_version` is still the current one (compare-and-set)."""
    result = await session.execute(
        update(Answer)
        .where(Answer.topic == topic, Answer.version == base_version)
        .values(body_en=body_en, body_nl=body_nl, version=base_version + 1,
                updated_at=now, updated_by=by)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def add_version(session: AsyncSession, row: AnswerVersion) -> None:
    """Record a version in the history."""
    session.add(row)
