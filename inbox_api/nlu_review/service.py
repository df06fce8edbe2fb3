"""The rules of the review queue, and the trainer actions on data and models."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.errors import Conflict, InboxError, NotFound
from inbox_api.nlu_review import repository
from inbox_api.nlu_review.models import ReviewItem
from inbox_api.nlu_review.schemas import (
    BulkIn,
    BulkOut,
    GateCheckOut,
    JobOut,
    LabelIn,
    LabelOutcome,
    ModelOut,
    RefusalOut,
    ReportIn,
    ReviewItemOut,
    ReviewPage,
    TranscriptLine,
)
from inbox_api.staff.models import Staff
from training import refusals as refusal_texts
from training.domain import DomainNames, load_domain
from training.examples import AddedExample, add_example
from training.gate import GateDecision
from training.jobs import Job, JobKind, JobStore, spawn_job
from training.markup import EntitySpan, MarkupError, mark_entities
from training.nlu_files import NluFileError
from training.refusals import ExampleRefused, Refusal
from training.registry import ModelRegistry
from training.settings import TrainingSettings


def _top_intent(packet: dict[str, Any]) -> tuple[str | None, float | None]:
    guesses = [g for g in packet.get("intents", []) if isinstance(g, dict) and g.get("name")]
    if not guesses:
        return None, None
    best = max(guesses, key=lambda g: float(g.get("confidence") or 0.0))
    return str(best["name"]), float(best.get("confidence") or 0.0)


async def collect(session: AsyncSession, now: datetime) -> int:
    """Put every escalated message not yet in the queue into it (safe to run concurrently)."""
    rows = []
    for ticket, message in await repository.uncollected_escalations(session):
        intent, confidence = _top_intent(ticket.packet or {})
        rows.append(
            {
                "ticket_id": ticket.id,
                "message_id": message.id,
                "source": ticket.reason,
                "text": message.text,
                "language": ticket.language,
                "predicted_intent": intent,
                "confidence": confidence,
                "status": "pending",
                "created_at": message.created_at or now,
            }
        )
    await repository.insert_new(session, rows)
    return len(rows)


async def report(session: AsyncSession, body: ReportIn, now: datetime) -> ReviewItem:
    """Queue a message the assistant answered without escalating, but was unsure about."""
    intent, confidence = _top_intent({"intents": [g.model_dump() for g in body.intents]})
    item = ReviewItem(
        source=body.source,
        text=body.text,
        language=body.language,
        predicted_intent=intent,
        confidence=confidence,
        status="pending",
        created_at=now,
    )
    session.add(item)
    await session.flush()
    return item


async def _out(session: AsyncSession, items: list[ReviewItem]) -> list[ReviewItemOut]:
    ticket_ids = [item.ticket_id for item in items if item.ticket_id is not None]
    replies = await repository.agent_replies(session, ticket_ids)
    transcripts = await repository.transcripts(session, ticket_ids)
    result = []
    for item in items:
        out = ReviewItemOut.model_validate(item)
        if item.ticket_id is not None:
            lines = [
                TranscriptLine(role=str(line.get("role", "")), text=str(line.get("text", "")))
                for line in transcripts.get(item.ticket_id, [])
                if isinstance(line, dict)
            ]
            out = out.model_copy(
                update={"agent_reply": replies.get(item.ticket_id), "transcript": lines[-10:]}
            )
        result.append(out)
    return result


async def list_queue(
    session: AsyncSession,
    status: str | None,
    language: str | None,
    limit: int,
    offset: int,
    now: datetime,
) -> ReviewPage:
    """A page of the queue, after collecting new escalations."""
    await collect(session, now)
    items, total = await repository.list_items(session, status, language, limit, offset)
    return ReviewPage(
        items=await _out(session, list(items)), total=total, limit=limit, offset=offset
    )


async def get_item_out(session: AsyncSession, item_id: int) -> ReviewItemOut:
    """One item with its context."""
    item = await repository.get_item(session, item_id)
    if item is None:
        raise NotFound(f"There is no review item {item_id}.")
    return (await _out(session, [item]))[0]


def _is_pg(session: AsyncSession) -> bool:
    return session.bind is not None and session.bind.dialect.name == "postgresql"


async def _pending(session: AsyncSession, item_id: int) -> ReviewItem:
    item = await repository.get_item(session, item_id, lock=_is_pg(session))
    if item is None:
        raise NotFound(f"There is no review item {item_id}.")
    if item.status != "pending":
        raise Conflict(f"Review item {item_id} is already {item.status}.")
    return item


def _refusals_out(found: list[Refusal]) -> list[RefusalOut]:
    return [RefusalOut(code=r.code, message_en=r.en, message_nl=r.nl) for r in found]


def _example_ref(training: TrainingSettings, added: AddedExample) -> str:
    root = training.paths().root
    path = added.path.relative_to(root) if added.path.is_relative_to(root) else added.path
    return f"{path}:{added.line}"


async def label(
    session: AsyncSession,
    training: TrainingSettings,
    item_id: int,
    body: LabelIn,
    staff: Staff,
    now: datetime,
) -> LabelOutcome:
    """Write the item as a training example, or say (in both languages) why it was refused."""
    item = await _pending(session, item_id)
    text = body.text if body.text is not None else item.text
    if body.entities:
        try:
            text = mark_entities(
                text, [EntitySpan(m.start, m.end, m.entity) for m in body.entities]
            )
        except MarkupError as exc:
            found = [refusal_texts.bad_markup(str(exc))]
            return LabelOutcome(
                item_id=item_id, result="refused", written=False, refusals=_refusals_out(found)
            )
    paths = training.paths()
    try:
        added = await asyncio.to_thread(add_example, paths, body.intent, body.language, text)
    except ExampleRefused as refused:
        return LabelOutcome(
            item_id=item_id,
            result="refused",
            written=False,
            refusals=_refusals_out(refused.refusals),
        )
    except NluFileError as exc:
        raise InboxError(f"The training data could not be edited safely: {exc}", 500) from exc
    item.status = "labelled"
    item.label_intent = added.intent
    item.label_language = added.language
    item.label_text = added.text
    item.example_ref = _example_ref(training, added)
    item.decided_by_id = staff.id
    item.decided_at = now
    await session.flush()
    return LabelOutcome(
        item_id=item_id,
        result="written",
        written=True,
        example_ref=item.example_ref,
        text=added.text,
        item=(await _out(session, [item]))[0],
    )


async def dismiss(session: AsyncSession, item_id: int, staff: Staff, now: datetime) -> ReviewItem:
    """Take an item out of the queue without writing anything."""
    item = await _pending(session, item_id)
    item.status = "dismissed"
    item.decided_by_id = staff.id
    item.decided_at = now
    await session.flush()
    return item


async def bulk(
    session: AsyncSession,
    training: TrainingSettings,
    body: BulkIn,
    staff: Staff,
    now: datetime,
) -> BulkOut:
    """The same decision for many items; each gets its own outcome."""
    outcomes: list[LabelOutcome] = []
    for item_id in body.ids:
        try:
            if body.action == "dismiss":
                item = await dismiss(session, item_id, staff, now)
                outcomes.append(
                    LabelOutcome(
                        item_id=item_id,
                        result="dismissed",
                        written=False,
                        item=(await _out(session, [item]))[0],
                    )
                )
            else:
                assert body.intent is not None and body.language is not None
                label_in = LabelIn(intent=body.intent, language=body.language)
                outcomes.append(await label(session, training, item_id, label_in, staff, now))
        except (NotFound, Conflict) as exc:
            outcomes.append(
                LabelOutcome(item_id=item_id, result="skipped", written=False, detail=exc.message)
            )
    return BulkOut(outcomes=outcomes)


def domain_names(training: TrainingSettings) -> DomainNames:
    """Intents and entities of the domain the trainer labels against."""
    return load_domain(training.paths().domain)


async def suggest(
    session: AsyncSession,
    training: TrainingSettings,
    ticket_id: int,
    intent: str,
    staff: Staff,
    now: datetime,
) -> ReviewItem:
    """Record an agent's guess of a ticket's intent on its queue item."""
    if intent not in domain_names(training).trainable_intents:
        raise InboxError(f"'{intent}' is not an intent of the assistant.", 422)
    await collect(session, now)
    item = await repository.item_for_ticket(session, ticket_id)
    if item is None:
        raise NotFound(f"Ticket {ticket_id} has no message in the review queue.")
    item.suggested_intent = intent
    item.suggested_by_id = staff.id
    await session.flush()
    return item


# ---- models and jobs ------------------------------------------------------------------


def _checks(decision: GateDecision | None) -> list[GateCheckOut]:
    if decision is None:
        return []
    return [
        GateCheckOut(
            metric=check.metric,
            name=check.name,
            baseline=check.baseline,
            candidate=check.candidate,
            allowed_drop=check.allowed_drop,
            passed=check.passed,
            explanation_en=check.explain("en"),
            explanation_nl=check.explain("nl"),
        )
        for check in decision.checks
    ]


def job_out(job: Job) -> JobOut:
    """A job for the API."""
    return JobOut(
        id=job.id,
        kind=job.kind,
        status=job.status,
        phase=job.phase,
        progress=job.progress,
        message=job.message,
        model_id=job.model_id,
        error=job.error,
        promote=job.promote,
        created_at=job.created_at,
        finished_at=job.finished_at,
        checks=_checks(job.decision),
    )


def start_job(training: TrainingSettings, kind: JobKind, now: datetime, **fields: object) -> Job:
    """Queue a job and start its process."""
    store = JobStore(training.paths().models)
    job = store.create(kind, now, **fields)
    pid = spawn_job(job, training.child_environment(), store.log_path(job.id))
    job = job.model_copy(update={"pid": pid})
    return job


def get_job(training: TrainingSettings, job_id: str) -> Job:
    """One job's state."""
    try:
        return JobStore(training.paths().models).get(job_id)
    except KeyError as exc:
        raise NotFound(f"There is no job {job_id}.") from exc


def list_jobs(training: TrainingSettings, limit: int = 20) -> list[Job]:
    """The newest jobs."""
    return JobStore(training.paths().models).all()[:limit]


def list_models(training: TrainingSettings) -> list[ModelOut]:
    """Every model, newest first, with its latest scores."""
    registry = ModelRegistry(training.paths().models)
    active = registry.active_state().model_id
    models = []
    for record in reversed(registry.all()):
        evaluation = list(record.evaluations.values())[-1] if record.evaluations else None
        models.append(
            ModelOut(
                id=record.id,
                created_at=record.created_at,
                status=record.status,
                active=record.id == active,
                data_fingerprint=record.data_fingerprint,
                training_seconds=record.training_seconds,
                macro_f1={k: v.macro_f1 for k, v in evaluation.languages.items()}
                if evaluation
                else {},
                rejection_rate={k: v.rejection_rate for k, v in evaluation.benchmarks.items()}
                if evaluation
                else {},
                checks=_checks(record.decision),
            )
        )
    return models


def model_exists(training: TrainingSettings, model_id: str) -> None:
    """NotFound unless the registry has the model."""
    try:
        ModelRegistry(training.paths().models).get(model_id)
    except KeyError as exc:
        raise NotFound(f"There is no model {model_id}.") from exc
