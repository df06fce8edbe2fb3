"""`python -m training worker`: runs the trainer's jobs from the queue in the inbox database.

Two lanes run side by side: "model" (train, promote, roll back; one at a time, minutes long)
and "edit" (write one example; milliseconds), so a trainer can keep labelling during a retrain.
The worker also publishes what the trainer page shows (domain, example counts, models) and a
heartbeat, and marks jobs whose worker died as failed. One worker per deployment is the plan;
the queue's compare-and-set claims keep a second one (or the command line) from doubling up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from kit.clock import Clock, utc_now
from training.examples import add_example
from training.job_queue import JobQueue, Lane
from training.jobs import Job, JobReporter, fail, run_job
from training.language import detect_language
from training.markup import EntitySpan, MarkupError, mark_entities
from training.nlu_files import NluFileError
from training.paths import ProjectPaths
from training.promotion import publish_serving_model
from training.published import count_added, domain_body, models_body, parity_body
from training.rasa_server import RasaClient, redact
from training.refusals import ExampleRefused, Refusal, bad_markup
from training.registry import ModelRegistry
from training.serving import LoadIntoRasa, ModelDelivery, PublishForPull, ServedModels
from training.settings import TrainingSettings

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5.0
# A worker whose heartbeat is older than this is taken to be gone.
HEARTBEAT_STALE_SECONDS = 20.0
FLUSH_SECONDS = 0.5
STOPPED = "the training worker stopped during this job"


def _refusals(found: list[Refusal]) -> list[dict[str, str]]:
    return [{"code": str(r.code), "message_en": r.en, "message_nl": r.nl} for r in found]


def apply_edit(paths: ProjectPaths, payload: dict[str, Any]) -> dict[str, Any]:
    """Write one example (entities marked) or say, in both languages, why it was refused."""
    text = str(payload["text"])
    spans = [
        EntitySpan(int(span["start"]), int(span["end"]), str(span["entity"]))
        for span in payload.get("entities") or []
    ]
    if spans:
        try:
            text = mark_entities(text, spans)
        except MarkupError as exc:
            return {"result": "refused", "refusals": _refusals([bad_markup(str(exc))])}
    try:
        added = add_example(paths, str(payload["intent"]), str(payload["language"]), text)
    except ExampleRefused as refused:
        return {"result": "refused", "refusals": _refusals(refused.refusals)}
    where = added.path
    if where.is_relative_to(paths.root):
        where = where.relative_to(paths.root)
    return {
        "result": "written",
        "intent": added.intent,
        "language": added.language,
        "text": added.text,
        "example_ref": f"{where.as_posix()}:{added.line}",
    }


def _signature(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in paths:
        with contextlib.suppress(OSError):
            stat = path.stat()
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class Worker:
    """Claims and runs jobs; publishes the trainer page's state."""

    def __init__(
        self,
        settings: TrainingSettings,
        queue: JobQueue,
        *,
        name: str | None = None,
        model_poll_seconds: float = 1.0,
        edit_poll_seconds: float = 0.1,
        clock: Clock = utc_now,
    ) -> None:
        self.settings = settings
        self.paths = settings.paths()
        self.queue = queue
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(2)}"
        self.model_poll_seconds = model_poll_seconds
        self.edit_poll_seconds = edit_poll_seconds
        self.clock = clock
        self.hidden = [settings.rasa_token] if settings.rasa_token else []
        self.ready = asyncio.Event()
        self._domain_signature: tuple[tuple[str, int, int], ...] | None = None
        self._data_signature: tuple[tuple[str, int, int], ...] | None = None
        self._parity: list[dict[str, Any]] = []
        self._models_signature: tuple[tuple[str, int, int], ...] | None = None
        # Pull mode: promotions are published for every Rasa process to fetch.
        self.served = ServedModels(queue.engine) if settings.model_pull_seconds > 0 else None

    def delivery(self, rasa: RasaClient) -> ModelDelivery:
        """How a promoted or rolled-back model goes into service."""
        return PublishForPull(self.served) if self.served is not None else LoadIntoRasa(rasa)

    async def publish_serving_model(self) -> None:
        """Pull mode: make sure the inbox serves the model `make run` would run."""
        if self.served is None:
            return
        registry = ModelRegistry(self.paths.models)
        record = await publish_serving_model(self.paths, registry, self.served, self.clock())
        if record is None:
            log.warning("no model to serve yet: the Rasa processes wait for a promotion")

    # ---- published state ------------------------------------------------------------

    def _data_files(self) -> list[Path]:
        return sorted(self.paths.nlu.rglob("*.y*ml")) if self.paths.nlu.is_dir() else []

    def _model_files(self) -> list[Path]:
        root = self.paths.models
        return sorted(root.glob("*.json")) + sorted(root.glob("*/*.json")) if root.is_dir() else []

    async def publish(self, force: bool = False) -> None:
        """Publish the heartbeat, and the domain, counts and models when they changed."""
        now = self.clock()
        domain = await asyncio.to_thread(_signature, [self.paths.domain])
        if force or domain != self._domain_signature:
            body = await asyncio.to_thread(domain_body, self.paths)
            await self.queue.publish("domain", body, now)
            self._domain_signature = domain
            force = True  # the counts say which intents are in the domain
        data = await asyncio.to_thread(_signature, self._data_files())
        if force or data != self._data_signature:
            self._parity = await asyncio.to_thread(parity_body, self.paths)
            await self.queue.publish("parity", self._parity, now)
            self._data_signature = data
        models = await asyncio.to_thread(_signature, self._model_files())
        if force or models != self._models_signature:
            listed = await asyncio.to_thread(models_body, self.paths)
            await self.queue.publish("models", listed, now)
            self._models_signature = models
        # Last: a heartbeat means everything above is published.
        await self.queue.publish("worker", {"name": self.name}, self.clock())

    async def _count_added(self, intent: str, language: str) -> None:
        """Publish the counts with one more example (re-reading every file takes a second)."""
        counted = count_added(self._parity, intent, language)
        if counted is None:
            await self.publish()
            return
        self._parity = counted
        await self.queue.publish("parity", counted, self.clock())
        self._data_signature = await asyncio.to_thread(_signature, self._data_files())

    # ---- running jobs ---------------------------------------------------------------

    async def _save(self, job: Job) -> None:
        fields = job.row_fields()
        fields["message"] = redact(fields["message"], *self.hidden)
        if fields["error"] is not None:
            fields["error"] = redact(fields["error"], *self.hidden)
        await self.queue.save(job.id, self.name, self.clock(), **fields)

    async def _flush(self, reporter: JobReporter) -> None:
        """Write the running job's progress while it changes; renew the lease while it does not."""
        written = -1
        quiet = 0.0
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            quiet += FLUSH_SECONDS
            if reporter.changes != written or quiet >= HEARTBEAT_SECONDS:
                written = reporter.changes
                quiet = 0.0
                job = reporter.job
                if job.finished:
                    continue
                try:
                    await self._save(job)
                except Exception:
                    # The next round retries; the lease outlives a few missed writes.
                    log.exception("recording the progress of job %s failed", job.id)

    async def _run_model_job(self, job: Job) -> Job:
        reporter = JobReporter(job, self.paths.models / "jobs", self.clock)
        flusher = asyncio.create_task(self._flush(reporter))
        try:
            async with RasaClient(self.settings.rasa_url, self.settings.rasa_token) as rasa:
                await run_job(self.paths, reporter, rasa, self.delivery(rasa))
        except asyncio.CancelledError:
            fail(reporter, STOPPED)
            raise
        except Exception:
            # run_job recorded the failure; the worker goes on with the next job.
            log.exception("job %s failed", job.id)
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            # Models first, so a page that sees the job done also sees the model it made.
            try:
                await asyncio.shield(self.publish(force=True))
            except Exception:
                log.exception("publishing the models after job %s failed", job.id)
            await asyncio.shield(self._save(reporter.job))
        return reporter.job

    async def _run_edit_job(self, job: Job) -> Job:
        try:
            outcome = await asyncio.to_thread(apply_edit, self.paths, job.payload)
        except Exception as exc:
            if not isinstance(exc, NluFileError):
                log.exception("example edit %s failed", job.id)
            job = job.model_copy(
                update={
                    "status": "failed",
                    "phase": "done",
                    "message": "the training data could not be edited safely",
                    "error": f"The training data could not be edited safely: {exc}",
                    "finished_at": self.clock(),
                }
            )
        else:
            if outcome["result"] == "written":
                # Counts first, so a page that sees the job done also sees the new count.
                await self._count_added(outcome["intent"], outcome["language"])
            job = job.model_copy(
                update={
                    "status": "succeeded" if outcome["result"] == "written" else "refused",
                    "phase": "done",
                    "progress": 1.0,
                    "outcome": outcome,
                    "finished_at": self.clock(),
                }
            )
        await self._save(job)
        return job

    async def run_claimed(self, row: dict[str, Any]) -> Job:
        """Run a job this worker has claimed to its end."""
        job = Job.from_row(row)
        log.info("running %s job %s", job.kind, job.id)
        if row["lane"] == "edit":
            return await self._run_edit_job(job)
        return await self._run_model_job(job)

    async def run_one(self, job_id: str, lane: Lane = "model") -> Job | None:
        """Claim and run `job_id` here once its lane is free; None if another worker took it."""
        while True:
            row = await self.queue.claim(lane, self.name, self.clock(), job_id)
            if row is not None:
                return await self.run_claimed(row)
            current = await self.queue.get(job_id)
            if current is None or current["status"] != "queued":
                return None
            await asyncio.sleep(self.model_poll_seconds)

    # ---- the loop -------------------------------------------------------------------

    async def _lane(self, lane: Lane, poll: float, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                row = await self.queue.claim(lane, self.name, self.clock())
                if row is not None:
                    await self.run_claimed(row)
                    continue
            except Exception:
                # The database may be restarting; the lease tells others if a job was lost.
                log.exception("the %s lane failed; retrying", lane)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll)

    async def _housekeeping(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), HEARTBEAT_SECONDS)
            if stop.is_set():
                return
            try:
                await self.queue.fail_abandoned(self.clock())
                await self.publish()
            except Exception:
                log.exception("publishing the trainer state failed; retrying")

    async def run(self, stop: asyncio.Event) -> None:
        """Run jobs until `stop` is set; a job still running then is recorded as failed."""
        await self.queue.fail_abandoned(self.clock())
        await self.publish_serving_model()
        await self.publish(force=True)
        # Load the language model now, not during the first trainer's label (seconds).
        await asyncio.to_thread(detect_language, "goedemorgen, waar blijft mijn bestelling")
        self.ready.set()
        tasks = [
            asyncio.create_task(self._lane("model", self.model_poll_seconds, stop)),
            asyncio.create_task(self._lane("edit", self.edit_poll_seconds, stop)),
            asyncio.create_task(self._housekeeping(stop)),
        ]
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
            for result in results:
                if isinstance(result, Exception):
                    log.error("worker task ended with %r", result)


async def worker_alive(queue: JobQueue, now: datetime) -> bool:
    """Whether a worker published a heartbeat recently."""
    found = await queue.snapshot("worker")
    return found is not None and (now - found[1]).total_seconds() < HEARTBEAT_STALE_SECONDS
