"""Background jobs (train, promote, roll back): state in a JSON file a page or the CLI can poll."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from training.fingerprint import data_fingerprint, training_files
from training.gate import GateDecision
from training.paths import ProjectPaths
from training.promotion import (
    PromotionError,
    adopt_running_model,
    gate_candidate,
    promote_model,
    rollback_model,
)
from training.rasa_server import RasaClient, RasaError, redact
from training.rasa_training import TrainingProgress, run_rasa_train
from training.registry import ModelRecord, ModelRegistry

JobKind = Literal["train", "promote", "rollback"]
JobStatus = Literal["queued", "running", "succeeded", "refused", "failed"]
FINISHED: frozenset[str] = frozenset({"succeeded", "refused", "failed"})

# Share of the progress bar each phase of a training job fills.
TRAINING_SPAN = (0.03, 0.70)
EVALUATION_SPAN = (0.70, 0.97)


class Job(BaseModel):
    """One background job and how far it got."""

    id: str
    kind: JobKind
    created_at: datetime
    updated_at: datetime
    status: JobStatus = "queued"
    phase: str = "queued"
    progress: float = 0.0
    message: str = ""
    promote: bool = False  # train jobs: promote when the gate allows
    model_id: str | None = None
    decision: GateDecision | None = None
    error: str | None = None
    pid: int | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        """Whether the job will not change any more."""
        return self.status in FINISHED


class JobStore:
    """The `models/jobs/` folder."""

    def __init__(self, models_dir: Path) -> None:
        self.root = models_dir / "jobs"

    def path(self, job_id: str) -> Path:
        """The job's state file."""
        if "/" in job_id or job_id.startswith("."):
            raise KeyError(job_id)
        return self.root / f"{job_id}.json"

    def log_path(self, job_id: str) -> Path:
        """The job's log (Rasa's output)."""
        return self.root / f"{job_id}.log"

    def create(self, kind: JobKind, now: datetime, **fields: object) -> Job:
        """A new queued job."""
        job_id = now.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3)
        job = Job.model_validate(
            {"id": job_id, "kind": kind, "created_at": now, "updated_at": now, **fields}
        )
        self.save(job)
        return job

    def save(self, job: Job) -> None:
        """Write the job's state in one step."""
        self.root.mkdir(parents=True, exist_ok=True)
        target = self.path(job.id)
        tmp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        tmp.write_text(job.model_dump_json(indent=2), encoding="utf-8")
        os.replace(tmp, target)

    def get(self, job_id: str) -> Job:
        """A job's state; a job whose process died unfinished is reported as failed."""
        path = self.path(job_id)
        if not path.is_file():
            raise KeyError(job_id)
        job = Job.model_validate_json(path.read_text(encoding="utf-8"))
        if not job.finished and job.pid is not None and not _alive(job.pid):
            job = job.model_copy(
                update={"status": "failed", "error": "the job's process stopped unexpectedly"}
            )
        return job

    def all(self) -> list[Job]:
        """Every job, newest first."""
        if not self.root.is_dir():
            return []
        ids = sorted((path.stem for path in self.root.glob("*.json")), reverse=True)
        return [self.get(job_id) for job_id in ids]

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """One job at a time: Rasa training is heavy and the registry has one writer."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".running.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A finished child we never reaped is a zombie: dead for our purposes.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _now() -> datetime:
    return datetime.now(UTC)


class JobReporter:
    """Writes a running job's progress, at most a few times a second."""

    def __init__(self, store: JobStore, job: Job) -> None:
        self.store = store
        self.job = job
        self._last = 0.0

    def update(self, force: bool = True, **fields: object) -> None:
        """Change fields of the job and save it (throttled unless `force`)."""
        self.job = self.job.model_copy(update={**fields, "updated_at": _now()})
        moment = time.monotonic()
        if force or moment - self._last > 0.5:
            self._last = moment
            self.store.save(self.job)


def _span(span: tuple[float, float], fraction: float) -> float:
    low, high = span
    return round(low + (high - low) * fraction, 4)


def snapshot_project(paths: ProjectPaths, target: Path) -> None:
    """Copy what a model is trained from, so edits made during training do not leak in."""
    for path in training_files(paths.root):
        destination = target / path.relative_to(paths.root)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)


async def _train(
    paths: ProjectPaths, registry: ModelRegistry, reporter: JobReporter, rasa: RasaClient
) -> None:
    job = reporter.job
    store = reporter.store
    reporter.update(phase="preparing", progress=0.01, message="copying the training data")
    work = store.root / job.id
    snapshot_project(paths, work)
    fingerprint = data_fingerprint(work)
    now = _now()
    model_id = registry.new_id(now)
    folder = registry.folder(model_id)
    folder.mkdir(parents=True, exist_ok=True)

    def on_training(progress: TrainingProgress) -> None:
        reporter.update(
            force=False,
            progress=_span(TRAINING_SPAN, progress.fraction),
            message=progress.describe(),
        )

    reporter.update(phase="training", progress=TRAINING_SPAN[0], model_id=model_id, message="")
    started = time.monotonic()
    try:
        model = await run_rasa_train(
            paths, work, folder, model_id, store.log_path(job.id), on_training
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    record = ModelRecord(
        id=model_id,
        created_at=now,
        data_fingerprint=fingerprint,
        model_file=str(model.relative_to(registry.root)),
        training_seconds=round(time.monotonic() - started, 1),
    )
    registry.save(record)
    if job.promote:
        await _promote(paths, registry, reporter, rasa, model_id)
        return
    # Without promotion the candidate is still scored, so the trainer sees the gate's verdict.
    await adopt_running_model(paths, registry, rasa, _now())
    reporter.update(phase="evaluating", progress=EVALUATION_SPAN[0], message="")
    record, decision = await gate_candidate(
        paths, registry, record, store.log_path(job.id), _evaluation_progress(reporter)
    )
    reporter.update(
        status="succeeded" if decision.promote else "refused",
        phase="done",
        progress=1.0,
        decision=decision,
        message="the gate would promote this model"
        if decision.promote
        else "; ".join(decision.reasons("en")),
    )


def _evaluation_progress(reporter: JobReporter) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        reporter.update(
            force=done == total,
            progress=_span(EVALUATION_SPAN, done / total if total else 1.0),
            message=f"{done}/{total} sentences",
        )

    return report


async def _promote(
    paths: ProjectPaths,
    registry: ModelRegistry,
    reporter: JobReporter,
    rasa: RasaClient,
    model_id: str,
) -> None:
    reporter.update(phase="evaluating", progress=EVALUATION_SPAN[0], model_id=model_id)
    result = await promote_model(
        paths,
        registry,
        rasa,
        model_id,
        _now(),
        reporter.store.log_path(reporter.job.id),
        _evaluation_progress(reporter),
    )
    if result.promoted:
        reporter.update(
            status="succeeded",
            phase="done",
            progress=1.0,
            decision=result.decision,
            message=f"model {model_id} is now in service",
        )
    else:
        reporter.update(
            status="refused",
            phase="done",
            progress=1.0,
            decision=result.decision,
            message="; ".join(result.decision.reasons("en")),
        )


async def run_job(paths: ProjectPaths, store: JobStore, job_id: str, rasa: RasaClient) -> Job:
    """Run one queued job to its end (in this process), recording every step."""
    registry = ModelRegistry(paths.models)
    reporter = JobReporter(store, store.get(job_id))
    reporter.update(pid=os.getpid())
    with store.exclusive():
        reporter.update(status="running", phase="starting", started_at=_now())
        try:
            job = reporter.job
            if job.kind == "train":
                await _train(paths, registry, reporter, rasa)
            elif job.kind == "promote":
                assert job.model_id is not None
                await _promote(paths, registry, reporter, rasa, job.model_id)
            else:
                reporter.update(phase="loading", progress=0.5)
                target = await rollback_model(registry, rasa, _now(), job.model_id)
                reporter.update(
                    status="succeeded",
                    phase="done",
                    progress=1.0,
                    model_id=target.id,
                    message=f"model {target.id} is back in service",
                )
        except (PromotionError, RasaError) as exc:
            _fail(reporter, str(exc), rasa.token)
        except Exception as exc:
            _fail(reporter, f"{type(exc).__name__}: {exc}", rasa.token)
            raise
        else:
            reporter.update(finished_at=_now())
    return reporter.job


def _fail(reporter: JobReporter, error: str, rasa_token: str) -> None:
    # Trainers read job records; whatever an error quoted, the API token is not in it.
    error = redact(error, rasa_token)
    first_line = error.strip().splitlines()[0] if error.strip() else "failed"
    reporter.update(
        status="failed", phase="done", message=first_line, error=error, finished_at=_now()
    )


def spawn_job(job: Job, env: dict[str, str], log: Path) -> int:
    """Run a job in its own process (it outlives the caller); return the process id."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "training", "nlu", "run-job", job.id],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # Reap the child when it ends, so a long-lived caller (the inbox API) keeps no zombies.
    threading.Thread(target=process.wait, daemon=True).start()
    return process.pid
