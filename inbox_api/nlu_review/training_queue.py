"""The inbox's side of the training worker: queue a job, read its state and what it published.

The worker (`python -m training worker`) runs the jobs and owns the project's files; the inbox
never touches data/nlu or the model registry itself.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inbox_api.errors import InboxError
from inbox_api.nlu_review.models import TrainerSnapshot, TrainingJob
from inbox_api.nlu_review.schemas import GateCheckOut, JobOut
from kit.clock import utc_now

MODEL_JOB_KINDS = ("train", "promote", "rollback")
LANES = {"train": "model", "promote": "model", "rollback": "model", "add_example": "edit"}
FINISHED = frozenset({"succeeded", "refused", "failed", "cancelled"})
LOST = "the training worker stopped while running this job"
POLL_SECONDS = 0.05


class WorkerUnavailable(InboxError):
    """The training worker has not answered (or never published its state)."""

    status_code = 503


def new_job(
    kind: str,
    now: datetime,
    *,
    payload: dict[str, Any] | None = None,
    promote: bool = False,
    model_id: str | None = None,
) -> TrainingJob:
    """A queued job row."""
    return TrainingJob(
        id=now.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3),
        kind=kind,
        lane=LANES[kind],
        status="queued",
        phase="queued",
        progress=0.0,
        message="",
        promote=promote,
        model_id=model_id,
        payload=payload or {},
        created_at=now,
        updated_at=now,
    )


async def enqueue(session: AsyncSession, job: TrainingJob) -> TrainingJob:
    """Queue a job in the request's transaction (the worker sees it once that commits)."""
    session.add(job)
    await session.flush()
    return job


async def get_job(session: AsyncSession, job_id: str) -> TrainingJob | None:
    """One job."""
    return await session.get(TrainingJob, job_id, populate_existing=True)


async def newest_jobs(session: AsyncSession, limit: int) -> list[TrainingJob]:
    """The newest model jobs (example edits are not listed)."""
    query = (
        select(TrainingJob)
        .where(TrainingJob.kind.in_(MODEL_JOB_KINDS))
        .order_by(TrainingJob.created_at.desc(), TrainingJob.id.desc())
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def published(session: AsyncSession, key: str) -> Any:
    """What the worker last published under `key`; 503 if it never did."""
    snapshot = await session.get(TrainerSnapshot, key, populate_existing=True)
    if snapshot is None:
        raise WorkerUnavailable(
            "The training worker has not started yet (make run starts it; "
            "or run `python -m training worker`)."
        )
    return snapshot.body


def job_out(job: TrainingJob, now: datetime) -> JobOut:
    """A job for the API; a running job whose worker stopped renewing its lease shows as failed."""
    status, message, error = job.status, job.message, job.error
    if status == "running" and job.lease_until is not None and job.lease_until < now:
        status, message, error = "failed", LOST, LOST
    result = job.result or {}
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=status,
        phase=job.phase,
        progress=job.progress,
        message=message,
        model_id=job.model_id,
        error=error,
        promote=job.promote,
        created_at=job.created_at,
        finished_at=job.finished_at,
        checks=[GateCheckOut.model_validate(check) for check in result.get("checks", [])],
    )


async def run_edit(
    sessions: async_sessionmaker[AsyncSession], payload: dict[str, Any], wait_seconds: float
) -> dict[str, Any]:
    """Ask the worker to write one example and wait for its outcome (written or refused)."""
    async with sessions() as session:
        job = new_job("add_example", utc_now(), payload=payload)
        session.add(job)
        await session.commit()
    deadline = time.monotonic() + wait_seconds
    while True:
        await asyncio.sleep(POLL_SECONDS)
        async with sessions() as session:
            current = await session.get(TrainingJob, job.id)
            assert current is not None
            if current.status in FINISHED:
                break
            if time.monotonic() < deadline:
                continue
            if current.status == "queued":
                cancelled = await session.execute(
                    update(TrainingJob)
                    .where(TrainingJob.id == job.id, TrainingJob.status == "queued")
                    .values(status="cancelled", phase="done", finished_at=utc_now())
                )
                await session.commit()
                if cancelled.rowcount:  # type: ignore[attr-defined]
                    raise WorkerUnavailable(
                        "The training worker did not answer; nothing was written. Try again "
                        "when it runs (make run starts it)."
                    )
            elif time.monotonic() > deadline + wait_seconds:
                raise WorkerUnavailable(
                    "The training worker is still writing the example; reload in a moment."
                )
    if current.status == "failed":
        raise InboxError(current.error or "The example could not be written.", 500)
    outcome: dict[str, Any] = (current.result or {}).get("outcome") or {}
    return outcome
