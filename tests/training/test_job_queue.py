"""The training job queue on the real databases: claims, leases, the worker, the schema."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from inbox_api.migrate import upgrade_head
from inbox_api.nlu_review.models import TrainerSnapshot, TrainingJob
from kit.database import create_engine
from tests.training.factories import make_project
from tests.training.workers import running_worker, worker_process
from training.job_queue import LEASE, JobQueue, jobs, snapshots
from training.jobs import Job
from training.settings import TrainingSettings
from training.worker import Worker, worker_alive

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def queue_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """A migrated inbox database: a SQLite file, or the real PostgreSQL server."""
    url: str = sqlite_url
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_url")
    upgrade_head(url)
    return url


@pytest.fixture
async def queue(queue_url: str) -> AsyncIterator[JobQueue]:
    """A queue on that database, its training tables empty."""
    engine = create_engine(queue_url)
    async with engine.begin() as conn:
        await conn.execute(text("DELETE FROM training_jobs"))
        await conn.execute(text("DELETE FROM training_snapshots"))
    try:
        yield JobQueue(engine)
    finally:
        await engine.dispose()


async def test_one_claim_wins_and_a_lane_runs_one_job_at_a_time(queue: JobQueue) -> None:
    first = await queue.enqueue("train", T0)
    second = await queue.enqueue("promote", T0 + timedelta(seconds=1), model_id="m1")
    edit = await queue.enqueue("add_example", T0 + timedelta(seconds=2), payload={"text": "x"})
    other = JobQueue(create_engine(str(queue.engine.url.render_as_string(hide_password=False))))
    try:
        claims = await asyncio.gather(
            *(q.claim("model", f"w{n}", T0) for n, q in enumerate([queue, other] * 3))
        )
    finally:
        await other.engine.dispose()
    won = [claim for claim in claims if claim is not None]
    assert [claim["id"] for claim in won] == [first["id"]]
    # The model lane is busy: the promote waits; the edit lane is not.
    assert await queue.claim("model", "w9", T0) is None
    claimed_edit = await queue.claim("edit", "w9", T0)
    assert claimed_edit is not None and claimed_edit["id"] == edit["id"]
    assert await queue.save(first["id"], won[0]["worker"], T0, status="succeeded", phase="done")
    nxt = await queue.claim("model", "w9", T0)
    assert nxt is not None and nxt["id"] == second["id"] and nxt["model_id"] == "m1"


async def test_a_job_whose_worker_died_is_failed_and_the_lane_freed(queue: JobQueue) -> None:
    dead = await queue.enqueue("train", T0)
    waiting = await queue.enqueue("rollback", T0 + timedelta(seconds=1))
    assert await queue.claim("model", "dead-worker", T0) is not None
    later = T0 + LEASE + timedelta(seconds=1)
    assert await queue.fail_abandoned(T0 + timedelta(seconds=5)) == 0
    assert await queue.fail_abandoned(later) == 1
    row = await queue.get(dead["id"])
    assert row is not None and row["status"] == "failed" and "stopped" in row["error"]
    # The dead worker's late write does not resurrect the job.
    assert not await queue.save(dead["id"], "dead-worker", later, progress=0.5)
    claimed = await queue.claim("model", "new-worker", later)
    assert claimed is not None and claimed["id"] == waiting["id"]


async def test_a_queued_job_can_be_cancelled_until_claimed(queue: JobQueue) -> None:
    job = await queue.enqueue("add_example", T0, payload={"text": "x"})
    assert await queue.cancel(job["id"], T0, "no worker")
    assert await queue.claim("edit", "w", T0) is None
    again = await queue.enqueue("add_example", T0, payload={"text": "y"})
    assert await queue.claim("edit", "w", T0) is not None
    assert not await queue.cancel(again["id"], T0, "too late")


async def test_the_worker_never_records_the_rasa_token(queue: JobQueue, tmp_path: Path) -> None:
    token = "rasa-secret-token-0123456789"
    project = make_project(tmp_path / "project")
    settings = TrainingSettings(root_dir=project.root, models_dir=project.models, rasa_token=token)
    worker = Worker(settings, queue)
    row = await queue.enqueue("train", T0)
    claimed = await queue.claim("model", worker.name, T0)
    assert claimed is not None
    job = Job.from_row(claimed).model_copy(
        update={
            "status": "failed",
            "message": f"GET http://rasa/status?token={token} failed",
            "error": f"RasaError: 401 for http://rasa/model?token={token}",
        }
    )
    await worker._save(job)
    stored = await queue.get(row["id"])
    assert stored is not None and stored["status"] == "failed"
    assert token not in f"{stored}" and "token=***" in stored["error"]


async def finished(queue: JobQueue, job_id: str) -> dict[str, Any] | None:
    """The job's row once it has ended."""
    async with asyncio.timeout(20):
        while True:
            row = await queue.get(job_id)
            if row is None or row["status"] not in ("queued", "running"):
                return row
            await asyncio.sleep(0.05)


async def test_the_worker_writes_examples_and_publishes_counts(
    queue: JobQueue, tmp_path: Path
) -> None:
    project = make_project(tmp_path / "project")
    url = queue.engine.url.render_as_string(hide_password=False)
    settings = TrainingSettings(root_dir=project.root, models_dir=project.models, database_url=url)
    async with running_worker(settings):
        assert await worker_alive(queue, datetime.now(UTC))
        counts = await queue.snapshot("parity")
        assert counts is not None
        before = {row["intent"]: row["counts"]["nl"] for row in counts[0]}["order_status"]
        job = await queue.enqueue(
            "add_example",
            datetime.now(UTC),
            payload={"intent": "order_status", "language": "nl", "text": "waar is mijn pakket nu"},
        )
        row = await finished(queue, job["id"])
        assert row is not None and row["status"] == "succeeded", row
        assert row["result"]["outcome"]["example_ref"].startswith("data/nlu/nl/")
        after = await queue.snapshot("parity")
        assert after is not None
        assert {r["intent"]: r["counts"]["nl"] for r in after[0]}["order_status"] == before + 1
        refused = await queue.enqueue(
            "add_example",
            datetime.now(UTC),
            payload={"intent": "order_status", "language": "nl", "text": "mail me op a@b.nl"},
        )
        row = await finished(queue, refused["id"])
        assert row is not None and row["status"] == "refused"
        assert row["result"]["outcome"]["refusals"][0]["message_nl"]
        # A request the worker cannot read fails with a reason instead of hanging.
        broken = await queue.enqueue("add_example", datetime.now(UTC), payload={"text": "x"})
        row = await finished(queue, broken["id"])
        assert row is not None and row["status"] == "failed" and "intent" in row["error"]


async def test_worker_process_starts_beats_and_stops_on_sigterm(
    sqlite_url: str, tmp_path: Path
) -> None:
    """`python -m training worker` as make run starts it: a heartbeat, then a clean stop."""
    await asyncio.to_thread(upgrade_head, sqlite_url)
    project = make_project(tmp_path / "project")
    settings = TrainingSettings(
        root_dir=project.root, models_dir=project.models, database_url=sqlite_url
    )
    async with worker_process(settings) as process:
        engine = create_engine(sqlite_url)
        try:
            assert (await JobQueue(engine).snapshot("domain")) is not None
        finally:
            await engine.dispose()
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(30):
            assert await process.wait() == 0


def test_worker_and_inbox_map_the_one_declaration_and_the_migrations_create_it(
    sqlite_url: str,
) -> None:
    upgrade_head(sqlite_url)

    def columns(table: object) -> dict[str, bool]:
        return {c.name: c.nullable for c in table.columns}  # type: ignore[attr-defined]

    # Two MetaData objects (the worker's and the inbox's), one declaration in kit/.
    assert jobs is not TrainingJob.__table__
    assert columns(jobs) == columns(TrainingJob.__table__)
    assert columns(snapshots) == columns(TrainerSnapshot.__table__)

    async def migrated() -> dict[str, dict[str, bool]]:
        engine = create_engine(sqlite_url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda sync: {
                        name: {c["name"]: c["nullable"] for c in inspect(sync).get_columns(name)}
                        for name in ("training_jobs", "training_snapshots")
                    }
                )
        finally:
            await engine.dispose()

    found = asyncio.run(migrated())
    assert found["training_jobs"] == columns(jobs)
    assert found["training_snapshots"] == columns(snapshots)
