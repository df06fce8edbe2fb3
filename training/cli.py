"""Command line: `python -m training nlu add|validate|report|train|...` and `... worker`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Coroutine, Sequence
from typing import Any

from sqlalchemy.exc import DBAPIError

from kit import log_privacy
from kit.clock import utc_now
from kit.database import create_engine
from training.examples import validate_data
from training.job_queue import JobQueue
from training.jobs import MODEL_JOB_KINDS, Job, JobKind
from training.nlu_files import NluFileError
from training.parity import format_report, parity_report
from training.paths import LANGUAGES, ProjectPaths
from training.registry import ModelRecord, ModelRegistry
from training.settings import TrainingSettings
from training.worker import Worker, worker_alive

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


def _add(args: argparse.Namespace, settings: TrainingSettings) -> int:
    """Write one example through the job queue's edit lane (the worker's, or here if none runs)."""
    payload = {"intent": args.intent, "language": args.language, "text": args.text}

    async def run() -> Job:
        engine = create_engine(settings.database_url)
        try:
            queue = JobQueue(engine)
            row = await queue.enqueue("add_example", utc_now(), payload=payload)
            if not await worker_alive(queue, utc_now()):
                await Worker(settings, queue).run_one(row["id"], lane="edit")
            while True:
                current = await queue.get(row["id"])
                assert current is not None
                job = Job.from_row(current)
                if job.finished:
                    return job
                await asyncio.sleep(0.1)
        finally:
            await engine.dispose()

    try:
        job = asyncio.run(run())
    except DBAPIError as exc:
        return _queue_unreachable(args, exc)
    outcome = job.outcome or {}
    if job.status == "failed":
        print(_t(args, "Not written: ", "Niet opgeslagen: ") + (job.error or ""), file=sys.stderr)
        return EXIT_REFUSED
    if outcome.get("result") != "written":
        print(_t(args, "Refused:", "Geweigerd:"), file=sys.stderr)
        for refusal in outcome.get("refusals", []):
            message = refusal["message_nl"] if args.ui == "nl" else refusal["message_en"]
            print(f"  [{refusal['code']}] {message}", file=sys.stderr)
        return EXIT_REFUSED
    print(
        _t(args, "Added to", "Toegevoegd aan")
        + f" {outcome['example_ref']} ({outcome['intent']}, {outcome['language']}): "
        + str(outcome["text"])
    )
    return EXIT_OK


def _validate(args: argparse.Namespace, paths: ProjectPaths) -> int:
    try:
        problems = validate_data(paths)
    except NluFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    errors = [problem for problem in problems if problem.error]
    for problem in problems:
        level = "error" if problem.error else "warning"
        example = problem.example
        print(
            f"{example.where}: {level} [{problem.refusal.code}] "
            f"{example.intent}: {problem.refusal.message(args.ui)}"
        )
    print(
        _t(args, "{e} errors, {w} warnings", "{e} fouten, {w} waarschuwingen").format(
            e=len(errors), w=len(problems) - len(errors)
        )
    )
    return EXIT_REFUSED if errors else EXIT_OK


def _report(args: argparse.Namespace, paths: ProjectPaths) -> int:
    rows = parity_report(paths)
    print(format_report(rows))
    if args.strict and any(row.flagged for row in rows):
        return EXIT_REFUSED
    return EXIT_OK


def _start(
    args: argparse.Namespace, settings: TrainingSettings, kind: JobKind, **fields: object
) -> int:
    async def run() -> int:
        engine = create_engine(settings.database_url)
        try:
            queue = JobQueue(engine)
            row = await queue.enqueue(kind, utc_now(), **fields)  # type: ignore[arg-type]
            print(_t(args, "Job {id} queued.", "Taak {id} in de wachtrij.").format(id=row["id"]))
            if args.detach:
                print(
                    _t(args, "Follow it with:", "Volg hem met:")
                    + f" python -m training nlu status {row['id']}"
                )
                return EXIT_OK
            if not await worker_alive(queue, utc_now()):
                # No worker (make run starts one): run the job in this command instead.
                print(
                    _t(
                        args,
                        "No training worker is running; running the job here.",
                        "Er draait geen trainingsworker; de taak loopt hier.",
                    ),
                    flush=True,
                )
                runner = asyncio.create_task(Worker(settings, queue).run_one(row["id"]))
                result = await _follow(args, queue, row["id"], runner)
                with contextlib.suppress(asyncio.CancelledError):
                    await runner
                return result
            return await _follow(args, queue, row["id"])
        finally:
            await engine.dispose()

    return _run_async(args, run())


def _run_async(args: argparse.Namespace, work: Coroutine[Any, Any, int]) -> int:
    try:
        result = asyncio.run(work)
    except KeyboardInterrupt:
        print(_t(args, "Stopped.", "Gestopt."))
        return EXIT_REFUSED
    except DBAPIError as exc:
        return _queue_unreachable(args, exc)
    return result


def _queue_unreachable(args: argparse.Namespace, exc: DBAPIError) -> int:
    print(
        _t(
            args,
            "The job queue is not reachable in the inbox database ({error}); "
            "run `python -m inbox_api migrate` (make run does) or set DATABASE_URL.",
            "De takenwachtrij in de inbox-database is niet bereikbaar ({error}); "
            "voer `python -m inbox_api migrate` uit (make run doet dat) of zet DATABASE_URL.",
        ).format(error=str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__),
        file=sys.stderr,
    )
    return EXIT_USAGE


async def _follow(
    args: argparse.Namespace,
    queue: JobQueue,
    job_id: str,
    runner: asyncio.Task[Job | None] | None = None,
) -> int:
    """Print a job's progress until it ends."""
    shown = ""
    while True:
        row = await queue.get(job_id)
        if row is None:
            print(_t(args, "No such job.", "Die taak bestaat niet."), file=sys.stderr)
            return EXIT_USAGE
        job = Job.from_row(row)
        line = f"[{job.progress:>4.0%}] {job.phase:<10} {job.message}".rstrip()
        if line != shown:
            print(line, flush=True)
            shown = line
        if job.finished:
            break
        if runner is not None and runner.done() and not runner.cancelled():
            error = runner.exception()
            if error is not None:
                raise error
        await asyncio.sleep(0.5 if runner is not None else 1.0)
    _print_outcome(args, job)
    return EXIT_OK if job.status == "succeeded" else EXIT_REFUSED


def _print_outcome(args: argparse.Namespace, job: Job) -> None:
    if job.decision is not None:
        print(_t(args, "Evaluation:", "Evaluatie:"))
        for check in job.decision.checks:
            mark = "ok " if check.passed else "NO "
            print(f"  {mark} {check.explain(args.ui)}")
    if job.status == "succeeded":
        print(_t(args, "Done: ", "Klaar: ") + job.message)
    elif job.status == "refused":
        print(_t(args, "Not promoted. Why:", "Niet gepromoveerd. Waarom:"))
        for reason in job.decision.reasons(args.ui) if job.decision else []:
            print(f"  - {reason}")
    else:
        print(_t(args, "Failed: ", "Mislukt: ") + (job.error or ""), file=sys.stderr)


def _train(args: argparse.Namespace, settings: TrainingSettings) -> int:
    return _start(args, settings, "train", promote=args.promote)


def _promote(args: argparse.Namespace, settings: TrainingSettings) -> int:
    registry = ModelRegistry(settings.paths().models)
    model_id = args.model
    if model_id is None:
        candidates = [record for record in registry.all() if record.status == "candidate"]
        if not candidates:
            print(
                _t(args, "No candidate model to promote.", "Geen kandidaat-model."), file=sys.stderr
            )
            return EXIT_REFUSED
        model_id = candidates[-1].id
    return _start(args, settings, "promote", model_id=model_id)


def _rollback(args: argparse.Namespace, settings: TrainingSettings) -> int:
    return _start(args, settings, "rollback", model_id=args.to)


def _status(args: argparse.Namespace, settings: TrainingSettings) -> int:
    async def run() -> int:
        engine = create_engine(settings.database_url)
        try:
            queue = JobQueue(engine)
            if args.job is None:
                for row in await queue.newest(20, MODEL_JOB_KINDS):
                    job = Job.from_row(row)
                    print(
                        f"{job.id}  {job.kind:<8} {job.status:<9} {job.progress:>4.0%}  "
                        f"{job.message}"
                    )
                return EXIT_OK
            return await _follow(args, queue, args.job)
        finally:
            await engine.dispose()

    try:
        return _run_async(args, run())
    except KeyboardInterrupt:
        return EXIT_OK


def _worker(args: argparse.Namespace, settings: TrainingSettings) -> int:
    """Run jobs until SIGINT or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    log_privacy.install()

    async def run() -> int:
        engine = create_engine(settings.database_url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            worker = Worker(settings, JobQueue(engine))
            print(
                _t(
                    args,
                    "Training worker {name}: project {root}",
                    "Trainingsworker {name}: project {root}",
                ).format(name=worker.name, root=settings.paths().root),
                flush=True,
            )
            await worker.run(stop)
        finally:
            await engine.dispose()
        return EXIT_OK

    return asyncio.run(run())


def _describe(record: ModelRecord, active: str | None) -> str:
    mark = "*" if record.id == active else " "
    scores = ""
    if record.evaluations:
        evaluation = list(record.evaluations.values())[-1]
        f1 = " ".join(f"F1[{k}]={v.macro_f1:.3f}" for k, v in sorted(evaluation.languages.items()))
        rejection = " ".join(
            f"{k}={v.rejection_rate:.2f}" for k, v in sorted(evaluation.benchmarks.items())
        )
        scores = f"  {f1}  rejected: {rejection}"
    return f"{mark} {record.id}  {record.status:<9} data {record.data_fingerprint}{scores}"


def _models(args: argparse.Namespace, settings: TrainingSettings) -> int:
    registry = ModelRegistry(settings.paths().models)
    state = registry.active_state()
    for record in registry.all():
        print(_describe(record, state.model_id))
    if args.active_path:
        active = registry.active()
        if active is None:
            return EXIT_REFUSED
        print(registry.model_path(active))
    return EXIT_OK


def _t(args: argparse.Namespace, en: str, nl: str) -> str:
    return nl if args.ui == "nl" else en


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m training`."""
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    parser.add_argument(
        "--ui", choices=LANGUAGES, default="en", help="language of messages (nl or en)"
    )
    groups = parser.add_subparsers(dest="group", required=True)
    nlu = groups.add_parser("nlu", help="NLU training data and models")
    commands = nlu.add_subparsers(dest="command", required=True)

    add = commands.add_parser("add", help="add one example, refused with a reason if unsafe")
    add.add_argument("--intent", required=True)
    add.add_argument("--language", required=True, help="nl or en")
    add.add_argument("text")
    add.set_defaults(job_handler=_add)

    validate = commands.add_parser("validate", help="check all examples against the rules")
    validate.set_defaults(handler=_validate)

    report = commands.add_parser("report", help="example counts per intent and language")
    report.add_argument("--strict", action="store_true", help="exit 1 when an intent is flagged")
    report.set_defaults(handler=_report)

    train = commands.add_parser("train", help="train a model in the background and evaluate it")
    train.add_argument("--promote", action="store_true", help="promote it if the gate allows")
    train.add_argument("--detach", action="store_true", help="do not wait for the job")
    train.set_defaults(job_handler=_train)

    promote = commands.add_parser("promote", help="gate a model and load it into Rasa")
    promote.add_argument("model", nargs="?", help="model id (default: the newest candidate)")
    promote.add_argument("--detach", action="store_true")
    promote.set_defaults(job_handler=_promote)

    rollback = commands.add_parser("rollback", help="put the previous model back into service")
    rollback.add_argument("--to", help="a model that was in service before")
    rollback.add_argument("--detach", action="store_true")
    rollback.set_defaults(job_handler=_rollback)

    status = commands.add_parser("status", help="list jobs, or follow one")
    status.add_argument("job", nargs="?")
    status.set_defaults(job_handler=_status)

    models = commands.add_parser("models", help="the model registry (* = in service)")
    models.add_argument("--active-path", action="store_true", help="print the active model file")
    models.set_defaults(job_handler=_models)

    worker = groups.add_parser("worker", help="run training jobs from the inbox database")
    worker.set_defaults(job_handler=_worker)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status says whether it did what was asked."""
    args = build_parser().parse_args(argv)
    settings = TrainingSettings()
    if hasattr(args, "job_handler"):
        job_result: int = args.job_handler(args, settings)
        return job_result
    result: int = args.handler(args, settings.paths())
    return result
