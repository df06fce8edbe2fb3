"""The trainer's job queue and published state: two tables in the inbox database.

The inbox inserts a job row and reads it back; `python -m training worker` claims rows, runs
them and records progress, result and error in them. The tables are created by the inbox's
migrations (inbox_api/migrations, revision 0005); `tests/training/test_job_queue.py` checks
that these declarations and the inbox's models agree.

Claiming is a compare-and-set: one UPDATE that only succeeds while the row is still queued
and no other job of its lane holds a live lease. On PostgreSQL the candidate row is picked with
FOR UPDATE SKIP LOCKED and the lane is serialised with a transaction-scoped advisory lock, so
several workers (or a worker and the command line) never run two jobs of one lane at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import (
    MetaData,
    exists,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncEngine

from kit.database import is_postgres
from kit.training_tables import declare_training_tables

Lane = Literal["model", "edit"]
FINISHED: frozenset[str] = frozenset({"succeeded", "refused", "failed", "cancelled"})
# A running job whose lease is this old has lost its worker.
LEASE = timedelta(seconds=60)

metadata = MetaData()

jobs, snapshots = declare_training_tables(metadata)

LANE_OF: dict[str, Lane] = {
    "train": "model",
    "promote": "model",
    "rollback": "model",
    "add_example": "edit",
}


def new_job_id(now: datetime) -> str:
    """Sortable by creation time, unguessable enough to be shown in a URL."""
    return now.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)


def row_dict(row: Row[Any]) -> dict[str, Any]:
    """A job row as a dict with aware timestamps."""
    return dict(row._mapping)


class JobQueue:
    """Rows of `training_jobs` and `training_snapshots`, through one engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def enqueue(
        self,
        kind: str,
        now: datetime,
        *,
        payload: dict[str, Any] | None = None,
        promote: bool = False,
        model_id: str | None = None,
    ) -> dict[str, Any]:
        """A new queued job."""
        values: dict[str, Any] = {
            "id": new_job_id(now),
            "kind": kind,
            "lane": LANE_OF[kind],
            "status": "queued",
            "phase": "queued",
            "progress": 0.0,
            "message": "",
            "promote": promote,
            "model_id": model_id,
            "payload": payload or {},
            "result": None,
            "error": None,
            "worker": None,
            "created_at": now,
            "updated_at": now,
            "started_at": None,
            "finished_at": None,
            "lease_until": None,
        }
        async with self.engine.begin() as conn:
            await conn.execute(jobs.insert().values(**values))
        return values

    async def get(self, job_id: str) -> dict[str, Any] | None:
        """One job, or None."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(jobs).where(jobs.c.id == job_id))).first()
        return row_dict(row) if row is not None else None

    async def newest(self, limit: int, kinds: Sequence[str]) -> list[dict[str, Any]]:
        """The newest jobs of these kinds."""
        query = (
            select(jobs)
            .where(jobs.c.kind.in_(list(kinds)))
            .order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            return [row_dict(row) for row in await conn.execute(query)]

    async def claim(
        self, lane: Lane, worker: str, now: datetime, job_id: str | None = None
    ) -> dict[str, Any] | None:
        """Take the oldest queued job of the lane (or `job_id`) if the lane is free; else None."""
        candidate = select(jobs.c.id).where(jobs.c.lane == lane, jobs.c.status == "queued")
        if job_id is not None:
            candidate = candidate.where(jobs.c.id == job_id)
        candidate = candidate.order_by(jobs.c.created_at, jobs.c.id).limit(1)
        if is_postgres(self.engine):
            candidate = candidate.with_for_update(skip_locked=True)
        busy = exists().where(
            jobs.c.lane == lane, jobs.c.status == "running", jobs.c.lease_until > now
        )
        statement = (
            update(jobs)
            .where(jobs.c.id == candidate.scalar_subquery(), jobs.c.status == "queued", ~busy)
            .values(
                status="running",
                phase="starting",
                worker=worker,
                started_at=now,
                updated_at=now,
                lease_until=now + LEASE,
            )
            .returning(*jobs.c)
        )
        async with self.engine.begin() as conn:
            if is_postgres(self.engine):
                # Statements after the lock see every claim committed before it.
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                    {"key": f"training_jobs:{lane}"},
                )
            row = (await conn.execute(statement)).first()
        return row_dict(row) if row is not None else None

    async def save(self, job_id: str, worker: str, now: datetime, **fields: Any) -> bool:
        """Record a running job's state and renew its lease (only while `worker` holds it)."""
        values = {**fields, "updated_at": now}
        if fields.get("status", "running") == "running":
            values["lease_until"] = now + LEASE
        else:
            values["lease_until"] = None
        statement = (
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.worker == worker, jobs.c.status == "running")
            .values(**values)
        )
        async with self.engine.begin() as conn:
            result = await conn.execute(statement)
        return bool(result.rowcount)

    async def cancel(self, job_id: str, now: datetime, reason: str) -> bool:
        """Cancel a job nobody has claimed yet; False once a worker has it."""
        statement = (
            update(jobs)
            .where(jobs.c.id == job_id, jobs.c.status == "queued")
            .values(
                status="cancelled", phase="done", message=reason, updated_at=now, finished_at=now
            )
        )
        async with self.engine.begin() as conn:
            result = await conn.execute(statement)
        return bool(result.rowcount)

    async def fail_abandoned(self, now: datetime) -> int:
        """Mark running jobs whose worker stopped renewing the lease as failed."""
        statement = (
            update(jobs)
            .where(jobs.c.status == "running", jobs.c.lease_until < now)
            .values(
                status="failed",
                phase="done",
                message="the training worker stopped while running this job",
                error="the training worker stopped while running this job",
                updated_at=now,
                finished_at=now,
                lease_until=None,
            )
        )
        async with self.engine.begin() as conn:
            result = await conn.execute(statement)
        return int(result.rowcount)

    async def publish(self, key: str, body: Any, now: datetime) -> None:
        """Replace one published snapshot (what the trainer page reads)."""
        insert = (postgresql if is_postgres(self.engine) else sqlite).insert(snapshots)
        statement = insert.values(key=key, body=body, updated_at=now).on_conflict_do_update(
            index_elements=[snapshots.c.key], set_={"body": body, "updated_at": now}
        )
        async with self.engine.begin() as conn:
            await conn.execute(statement)

    async def snapshot(self, key: str) -> tuple[Any, datetime] | None:
        """A published snapshot and when it was written."""
        query = select(snapshots.c.body, snapshots.c.updated_at).where(snapshots.c.key == key)
        async with self.engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        updated: datetime = row.updated_at
        return row.body, updated
