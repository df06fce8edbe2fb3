"""The rules of the review queue, and the trainer actions on data and models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from inbox_api.errors import Conflict, InboxError, NotFound
from inbox_api.nlu_review import repository, training_queue
from inbox_api.nlu_review.models import ReviewItem
from inbox_api.nlu_review.schemas import (
    BulkIn,
    BulkOut,
    DomainOut,
    JobOut,
    LabelIn,
    LabelOutcome,
    ModelOut,
    ParityRowOut,
    RefusalOut,
    ReportIn,
    ReviewItemOut,
    ReviewPage,
    TranscriptLine,
)
from inbox_api.staff.models import Staff
from kit.database import is_postgres
from kit.personal_data import mask


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
                "channel": ticket.channel,
                "conversation_id": ticket.conversation_id,
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
        channel=body.channel,
        conversation_id=body.conversation_id,
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
        # Trainers never need a customer's personal data: everything they see is masked.
        out = ReviewItemOut.model_validate(item)
        out = out.model_copy(update={"text": mask(out.text)})
        if item.ticket_id is not None:
            lines = [
                TranscriptLine(role=str(line.get("role", "")), text=mask(str(line.get("text", ""))))
                for line in transcripts.get(item.ticket_id, [])
                if isinstance(line, dict)
            ]
            reply = replies.get(item.ticket_id)
            out = out.model_copy(
                update={
                    "agent_reply": mask(reply) if reply is not None else None,
                    "transcript": lines[-10:],
                }
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


async def _pending(session: AsyncSession, item_id: int) -> ReviewItem:
    item = await repository.get_item(session, item_id, lock=is_postgres(session))
    if item is None:
        raise NotFound(f"There is no review item {item_id}.")
    if item.status != "pending":
        raise Conflict(f"Review item {item_id} is already {item.status}.")
    return item


@dataclass(frozen=True)
class Editor:
    """How the inbox reaches the training worker for example edits."""

    sessions: async_sessionmaker[AsyncSession]
    wait_seconds: float


async def _write_example(
    session: AsyncSession, editor: Editor, item_id: int, body: LabelIn
) -> tuple[ReviewItem, LabelOutcome | dict[str, Any]]:
    """The worker's outcome for one item (or a refusal), before anything is changed here."""
    item = await _pending(session, item_id)
    payload = {
        "intent": body.intent,
        "language": body.language,
        # The item as the trainer saw it: masked, so the worker refuses its placeholders
        # rather than writing a customer's data into data/nlu.
        "text": body.text if body.text is not None else mask(item.text),
        "entities": [mark.model_dump() for mark in body.entities],
    }
    outcome = await training_queue.run_edit(editor.sessions, payload, editor.wait_seconds)
    if outcome.get("result") != "written":
        refusals = [RefusalOut.model_validate(r) for r in outcome.get("refusals", [])]
        return item, LabelOutcome(
            item_id=item_id, result="refused", written=False, refusals=refusals
        )
    return item, outcome


async def _record_label(
    session: AsyncSession, item: ReviewItem, written: dict[str, Any], staff: Staff, now: datetime
) -> LabelOutcome:
    item.status = "labelled"
    item.label_intent = str(written["intent"])
    item.label_language = str(written["language"])
    item.label_text = str(written["text"])
    item.example_ref = str(written["example_ref"])
    item.decided_by_id = staff.id
    item.decided_at = now
    await session.flush()
    return LabelOutcome(
        item_id=item.id,
        result="written",
        written=True,
        example_ref=item.example_ref,
        text=item.label_text,
        item=(await _out(session, [item]))[0],
    )


async def label(
    session: AsyncSession,
    editor: Editor,
    item_id: int,
    body: LabelIn,
    staff: Staff,
    now: datetime,
) -> LabelOutcome:
    """Have the worker write the item as an example, or say (in both languages) why not."""
    item, result = await _write_example(session, editor, item_id, body)
    if isinstance(result, LabelOutcome):
        return result
    return await _record_label(session, item, result, staff, now)


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
    editor: Editor,
    body: BulkIn,
    staff: Staff,
    now: datetime,
) -> BulkOut:
    """The same decision for many items; each gets its own outcome."""
    outcomes: dict[int, LabelOutcome] = {}
    written: list[tuple[ReviewItem, dict[str, Any]]] = []
    for item_id in body.ids:
        try:
            if body.action == "dismiss":
                item = await dismiss(session, item_id, staff, now)
                outcomes[item_id] = LabelOutcome(
                    item_id=item_id,
                    result="dismissed",
                    written=False,
                    item=(await _out(session, [item]))[0],
                )
                continue
            assert body.intent is not None and body.language is not None
            label_in = LabelIn(intent=body.intent, language=body.language)
            # Nothing is written here until every example is: on SQLite an open write would
            # hold the database while the worker records the next job.
            with session.no_autoflush:
                item, result = await _write_example(session, editor, item_id, label_in)
            if isinstance(result, LabelOutcome):
                outcomes[item_id] = result
            else:
                written.append((item, result))
        except (NotFound, Conflict) as exc:
            outcomes[item_id] = LabelOutcome(
                item_id=item_id, result="skipped", written=False, detail=exc.message
            )
    for item, result in written:
        outcomes[item.id] = await _record_label(session, item, result, staff, now)
    return BulkOut(outcomes=[outcomes[item_id] for item_id in body.ids if item_id in outcomes])


async def suggest(
    session: AsyncSession,
    ticket_id: int,
    intent: str,
    staff: Staff,
    now: datetime,
) -> ReviewItem:
    """Record an agent's guess of a ticket's intent on its queue item."""
    if intent not in (await domain(session)).intents:
        raise InboxError(f"'{intent}' is not an intent of the assistant.", 422)
    await collect(session, now)
    item = await repository.item_for_ticket(session, ticket_id)
    if item is None:
        raise NotFound(f"Ticket {ticket_id} has no message in the review queue.")
    item.suggested_intent = intent
    item.suggested_by_id = staff.id
    await session.flush()
    return item


# ---- what the training worker published, and its jobs ----------------------------------


async def domain(session: AsyncSession) -> DomainOut:
    """Intents (that take examples), entities and languages, as the worker read them."""
    return DomainOut.model_validate(await training_queue.published(session, "domain"))


async def parity(session: AsyncSession) -> list[ParityRowOut]:
    """Example counts per intent and language, as the worker last counted them."""
    rows = await training_queue.published(session, "parity")
    return [ParityRowOut.model_validate(row) for row in rows]


async def list_models(session: AsyncSession) -> list[ModelOut]:
    """Every model, newest first, with its latest scores."""
    rows = await training_queue.published(session, "models")
    return [ModelOut.model_validate(row) for row in rows]


async def model_exists(session: AsyncSession, model_id: str) -> None:
    """NotFound unless the registry has the model."""
    if all(model.id != model_id for model in await list_models(session)):
        raise NotFound(f"There is no model {model_id}.")


async def start_job(
    session: AsyncSession,
    kind: str,
    now: datetime,
    *,
    promote: bool = False,
    model_id: str | None = None,
) -> JobOut:
    """Queue a job for the training worker."""
    job = training_queue.new_job(kind, now, promote=promote, model_id=model_id)
    return training_queue.job_out(await training_queue.enqueue(session, job), now)


async def get_job(session: AsyncSession, job_id: str, now: datetime) -> JobOut:
    """One job's state."""
    job = await training_queue.get_job(session, job_id)
    if job is None or job.kind not in training_queue.MODEL_JOB_KINDS:
        raise NotFound(f"There is no job {job_id}.")
    return training_queue.job_out(job, now)


async def list_jobs(session: AsyncSession, now: datetime, limit: int = 20) -> list[JobOut]:
    """The newest jobs."""
    jobs = await training_queue.newest_jobs(session, limit)
    return [training_queue.job_out(job, now) for job in jobs]
