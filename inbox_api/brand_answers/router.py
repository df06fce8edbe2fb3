"""Answers API: trainers and admins read and edit the brand's FAQ answers (live, no retraining)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from inbox_api.brand_answers import service
from inbox_api.brand_answers.schemas import AnswerEdit, AnswerOut, AnswerVersionOut
from inbox_api.deps import SessionDep
from inbox_api.errors import ErrorOut
from inbox_api.nlu_review.deps import Trainer
from kit.clock import utc_now

router = APIRouter(
    prefix="/api/v1/answers",
    tags=["answers"],
    responses={503: {"model": ErrorOut, "description": "The answer tables are not migrated"}},
)
Topic = Annotated[str, Path(min_length=1, max_length=60, pattern=r"^[a-z0-9_]+$")]


@router.get("")
async def list_answers(session: SessionDep, _: Trainer) -> list[AnswerOut]:
    """Every FAQ topic's current answer in Dutch and English."""
    return await service.list_answers(session)


@router.get("/{topic}/history")
async def answer_history(topic: Topic, session: SessionDep, _: Trainer) -> list[AnswerVersionOut]:
    """Every version of one answer, newest first: who changed it, when, and to what."""
    return await service.history(session, topic)


@router.put("/{topic}")
async def edit_answer(
    topic: Topic, body: AnswerEdit, session: SessionDep, staff: Trainer
) -> AnswerOut:
    """Save a new version in both languages; the assistant gives it from the next question on."""
    return await service.edit(session, topic, body, staff.email, utc_now())
