"""Model jobs (train, promote, roll back): what they do and how far they got.

`training/worker.py` claims them from the job queue (training/job_queue.py) and records each
step there; the inbox and the command line read it back.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from kit.clock import Clock, utc_now
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
from training.serving import LoadIntoRasa, ModelDelivery

JobKind = Literal["train", "promote", "rollback"]
MODEL_JOB_KINDS: tuple[JobKind, ...] = ("train", "promote", "rollback")
JobStatus = Literal["queued", "running", "succeeded", "refused", "failed", "cancelled"]
FINISHED: frozenset[str] = frozenset({"succeeded", "refused", "failed", "cancelled"})

# Share of the progress bar each phase of a training job fills.
TRAINING_SPAN = (0.03, 0.70)
EVALUATION_SPAN = (0.70, 0.97)


class Job(BaseModel):
    """One background job and how far it got."""

    id: str
    kind: str
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
    payload: dict[str, Any] = {}
    # Edit jobs: the outcome (written or refused, with reasons).
    outcome: dict[str, Any] | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        """Whether the job will not change any more."""
        return self.status in FINISHED

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Job:
        """A job as the queue stores it."""
        result = row.get("result") or {}
        decision = result.get("decision")
        return cls.model_validate(
            {
                **{k: v for k, v in row.items() if k in cls.model_fields},
                "decision": GateDecision.model_validate(decision) if decision else None,
                "outcome": result.get("outcome"),
            }
        )

    def row_fields(self) -> dict[str, Any]:
        """The columns a worker writes back."""
        result: dict[str, Any] | None = None
        if self.decision is not None:
            result = {
                "decision": self.decision.model_dump(mode="json"),
                "checks": checks_out(self.decision),
            }
        elif self.outcome is not None:
            result = {"outcome": self.outcome}
        return {
            "status": self.status,
            "phase": self.phase,
            "progress": self.progress,
            "message": self.message,
            "model_id": self.model_id,
            "error": self.error,
            "result": result,
            "finished_at": self.finished_at,
        }


def checks_out(decision: GateDecision | None) -> list[dict[str, Any]]:
    """The gate's checks, explained in both languages, as the trainer page shows them."""
    if decision is None:
        return []
    return [
        {
            "metric": check.metric,
            "name": check.name,
            "baseline": check.baseline,
            "candidate": check.candidate,
            "allowed_drop": check.allowed_drop,
            "passed": check.passed,
            "explanation_en": check.explain("en"),
            "explanation_nl": check.explain("nl"),
        }
        for check in decision.checks
    ]


class JobReporter:
    """Holds a running job's state; the worker writes it to the queue a few times a second."""

    def __init__(self, job: Job, logs: Path, clock: Clock = utc_now) -> None:
        self.job = job
        self.logs = logs
        self.clock = clock
        self.changes = 0

    @property
    def log_path(self) -> Path:
        """The job's log (Rasa's output)."""
        return self.logs / f"{self.job.id}.log"

    def update(self, force: bool = True, **fields: object) -> None:
        """Change fields of the job (`force` is kept for callers; every change is recorded)."""
        self.job = self.job.model_copy(update={**fields, "updated_at": self.clock()})
        self.changes += 1


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
    paths: ProjectPaths,
    registry: ModelRegistry,
    reporter: JobReporter,
    rasa: RasaClient,
    delivery: ModelDelivery,
) -> None:
    job = reporter.job
    reporter.update(phase="preparing", progress=0.01, message="copying the training data")
    work = reporter.logs / job.id
    snapshot_project(paths, work)
    fingerprint = data_fingerprint(work)
    now = reporter.clock()
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
        model = await run_rasa_train(paths, work, folder, model_id, reporter.log_path, on_training)
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
        await _promote(paths, registry, reporter, rasa, model_id, delivery)
        return
    # Without promotion the candidate is still scored, so the trainer sees the gate's verdict.
    await adopt_running_model(paths, registry, rasa, reporter.clock())
    reporter.update(phase="evaluating", progress=EVALUATION_SPAN[0], message="")
    record, decision = await gate_candidate(
        paths, registry, record, reporter.log_path, _evaluation_progress(reporter)
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
    delivery: ModelDelivery,
) -> None:
    reporter.update(phase="evaluating", progress=EVALUATION_SPAN[0], model_id=model_id)
    result = await promote_model(
        paths,
        registry,
        rasa,
        model_id,
        reporter.clock(),
        reporter.log_path,
        _evaluation_progress(reporter),
        delivery,
    )
    if result.promoted:
        reporter.update(
            status="succeeded",
            phase="done",
            progress=1.0,
            decision=result.decision,
            message=in_service(model_id, delivery),
        )
    else:
        reporter.update(
            status="refused",
            phase="done",
            progress=1.0,
            decision=result.decision,
            message="; ".join(result.decision.reasons("en")),
        )


def in_service(model_id: str, delivery: ModelDelivery, back: bool = False) -> str:
    """What a finished promotion or rollback says."""
    if delivery.pulled:
        return (
            f"model {model_id} is served; every Rasa process loads it at its next pull"
            " (the trainer page lists which model each one runs)"
        )
    return f"model {model_id} is {'back' if back else 'now'} in service"


async def run_job(
    paths: ProjectPaths,
    reporter: JobReporter,
    rasa: RasaClient,
    delivery: ModelDelivery | None = None,
) -> Job:
    """Run one claimed model job to its end, recording every step in `reporter`.

    `delivery` puts a promoted or rolled-back model into service (default: `PUT /model`).
    """
    delivery = delivery or LoadIntoRasa(rasa)
    registry = ModelRegistry(paths.models)
    reporter.logs.mkdir(parents=True, exist_ok=True)
    reporter.update(status="running", phase="starting", started_at=reporter.clock())
    try:
        job = reporter.job
        if job.kind == "train":
            await _train(paths, registry, reporter, rasa, delivery)
        elif job.kind == "promote":
            assert job.model_id is not None
            await _promote(paths, registry, reporter, rasa, job.model_id, delivery)
        else:
            reporter.update(phase="loading", progress=0.5)
            target = await rollback_model(
                registry, rasa, reporter.clock(), job.model_id, delivery
            )
            reporter.update(
                status="succeeded",
                phase="done",
                progress=1.0,
                model_id=target.id,
                message=in_service(target.id, delivery, back=True),
            )
    except (PromotionError, RasaError) as exc:
        fail(reporter, str(exc), rasa.token)
    except Exception as exc:
        fail(reporter, f"{type(exc).__name__}: {exc}", rasa.token)
        raise
    else:
        reporter.update(finished_at=reporter.clock())
    return reporter.job


def fail(reporter: JobReporter, error: str, rasa_token: str = "") -> None:
    """Record a job as failed, its first line as the message."""
    # Trainers read job records; whatever an error quoted, the API token is not in it.
    error = redact(error, rasa_token)
    first_line = error.strip().splitlines()[0] if error.strip() else "failed"
    reporter.update(
        status="failed", phase="done", message=first_line, error=error, finished_at=reporter.clock()
    )
