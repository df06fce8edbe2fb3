"""Review queue and trainer endpoints, plus the trainer page at /staff/training/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import FileResponse, HTMLResponse

from inbox_api.deps import ServiceCaller, SessionDep
from inbox_api.errors import ErrorOut, NotFound
from inbox_api.nlu_review import service
from inbox_api.nlu_review.deps import EditorDep, Suggester, Trainer
from inbox_api.nlu_review.schemas import (
    BulkIn,
    BulkOut,
    DomainOut,
    JobOut,
    LabelIn,
    LabelOutcome,
    ModelOut,
    ParityRowOut,
    ReportIn,
    ReviewItemOut,
    ReviewPage,
    RollbackIn,
    SuggestionIn,
    TrainingIn,
)
from inbox_api.schemas import Offset, PathId
from inbox_api.web.shell import Link, Shell, page
from kit.clock import utc_now

router = APIRouter(
    prefix="/api/v1/review",
    tags=["nlu review"],
    # Domain, parity, models and example edits come from the training worker.
    responses={503: {"model": ErrorOut, "description": "The training worker is not running"}},
)
page_router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).resolve().parent / "static"


@router.get("/items")
async def list_items(
    session: SessionDep,
    _: Trainer,
    status: Literal["pending", "labelled", "dismissed"] | None = "pending",
    language: Literal["nl", "en"] | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> ReviewPage:
    """Escalated, fallback and low-confidence messages, oldest first (pending by default)."""
    return await service.list_queue(session, status, language, limit, offset, utc_now())


@router.post("/reports", status_code=201, dependencies=[ServiceCaller])
async def report(body: ReportIn, session: SessionDep) -> ReviewItemOut:
    """Queue a message the assistant answered while unsure (action server only)."""
    item = await service.report(session, body, utc_now())
    return await service.get_item_out(session, item.id)


@router.get("/items/{item_id}")
async def get_item(item_id: PathId, session: SessionDep, _: Trainer) -> ReviewItemOut:
    """One message with its conversation context."""
    return await service.get_item_out(session, item_id)


@router.post(
    "/items/{item_id}/label",
    responses={
        422: {
            "model": LabelOutcome | ErrorOut,
            "description": "Refused, with the reasons (or an invalid request)",
        }
    },
)
async def label_item(
    item_id: PathId,
    body: LabelIn,
    session: SessionDep,
    editor: EditorDep,
    staff: Trainer,
    response: Response,
) -> LabelOutcome:
    """Write the message (edited, entities marked) as an example; 422 with reasons if refused."""
    outcome = await service.label(session, editor, item_id, body, staff, utc_now())
    if not outcome.written:
        response.status_code = 422
    return outcome


@router.post("/items/{item_id}/dismiss")
async def dismiss_item(item_id: PathId, session: SessionDep, staff: Trainer) -> ReviewItemOut:
    """Take the message out of the queue without writing an example."""
    item = await service.dismiss(session, item_id, staff, utc_now())
    return await service.get_item_out(session, item.id)


@router.post("/items/bulk")
async def bulk(body: BulkIn, session: SessionDep, editor: EditorDep, staff: Trainer) -> BulkOut:
    """Dismiss many items, or label them all with one intent and language."""
    return await service.bulk(session, editor, body, staff, utc_now())


@router.put("/tickets/{ticket_id}/suggested-intent")
async def suggest_intent(
    ticket_id: PathId, body: SuggestionIn, session: SessionDep, staff: Suggester
) -> ReviewItemOut:
    """An agent's guess of what the customer meant (pre-fills the trainer's label)."""
    item = await service.suggest(session, ticket_id, body.intent, staff, utc_now())
    return await service.get_item_out(session, item.id)


@router.get("/domain")
async def domain(session: SessionDep, _: Suggester) -> DomainOut:
    """Intents (that take examples), entities and languages to label with."""
    return await service.domain(session)


@router.get("/parity")
async def parity(session: SessionDep, _: Trainer) -> list[ParityRowOut]:
    """Example counts per intent and language; flags intents short of 25 in a language."""
    return await service.parity(session)


@router.post("/trainings", status_code=202)
async def start_training(body: TrainingIn, session: SessionDep, _: Trainer) -> JobOut:
    """Retrain in the background; evaluate, and promote if asked and the gate allows."""
    return await service.start_job(session, "train", utc_now(), promote=body.promote)


@router.get("/jobs")
async def list_jobs(session: SessionDep, _: Trainer) -> list[JobOut]:
    """The newest jobs with their progress."""
    return await service.list_jobs(session, utc_now())


@router.get("/jobs/{job_id}")
async def get_job(job_id: str, session: SessionDep, _: Trainer) -> JobOut:
    """One job's progress and, when done, the gate's verdict."""
    return await service.get_job(session, job_id, utc_now())


@router.get("/models")
async def list_models(session: SessionDep, _: Trainer) -> list[ModelOut]:
    """Every trained model with its scores; `active` marks the one in service."""
    return await service.list_models(session)


@router.post("/models/{model_id}/promote", status_code=202)
async def promote(model_id: str, session: SessionDep, _: Trainer) -> JobOut:
    """Gate a model and, if it passes, load it into the running assistant."""
    await service.model_exists(session, model_id)
    return await service.start_job(session, "promote", utc_now(), model_id=model_id)


@router.post("/rollback", status_code=202)
async def rollback(body: RollbackIn, session: SessionDep, _: Trainer) -> JobOut:
    """Put the previous model (or a named earlier one) back into service."""
    if body.to is not None:
        await service.model_exists(session, body.to)
    return await service.start_job(session, "rollback", utc_now(), model_id=body.to)


_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def _file(name: str) -> FileResponse:
    path = (STATIC / name).resolve()
    if STATIC not in path.parents or not path.is_file() or path.suffix not in _TYPES:
        raise NotFound("Not found")
    return FileResponse(path, media_type=_TYPES[path.suffix], headers=_HEADERS)


TRAINING = Shell(
    title="Training", heading_key="title", heading="Training", body="training.main.html",
    styles=("/staff/training/training.css",), scripts=("/staff/training/training.js",),
    links=(
        Link("/staff/", "to_inbox", "Inbox"), Link("/staff/answers/", "to_answers", "Antwoorden")
    ),
)
ANSWERS = Shell(
    title="Antwoorden", heading_key="title", heading="Antwoorden", body="answers.main.html",
    styles=("/staff/training/training.css",), scripts=("/staff/training/answers.js",),
    links=(
        Link("/staff/training/", "to_training", "Training"), Link("/staff/", "to_inbox", "Inbox")
    ),
)


@page_router.get("/staff/training/")
async def trainer_page() -> HTMLResponse:
    """The trainer page."""
    return page(TRAINING, STATIC, _HEADERS)


@page_router.get("/staff/answers/")
async def answers_page() -> HTMLResponse:
    """The answers page: trainers edit the assistant's FAQ answers (assets in the trainer's)."""
    return page(ANSWERS, STATIC, _HEADERS)


@page_router.get("/staff/training/{name}")
async def trainer_asset(name: str) -> FileResponse:
    """Scripts of the trainer page."""
    return _file(name)
