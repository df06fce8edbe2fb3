"""The survey: the action server's calls, and the follow-ups for team leads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from inbox_api.assignment.router import LeadOrAdmin
from inbox_api.csat import service
from inbox_api.csat.schemas import (
    AnswerIn,
    CommentIn,
    FollowUpOut,
    OfferIn,
    OfferOut,
    VerdictOut,
    masked_comment,
)
from inbox_api.deps import RuntimeDep, ServiceCaller, SessionDep
from inbox_api.schemas import PathId
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1/csat", tags=["csat"])


@router.post("/offers", dependencies=[ServiceCaller])
async def offer(body: OfferIn, session: SessionDep, runtime: RuntimeDep) -> OfferOut:
    """Whether the assistant asks the satisfaction question after this hand-back (once)."""
    result = await service.offer(
        session, runtime, int(body.delivery_id), body.conversation_id, utc_now()
    )
    if result.survey is None:
        return OfferOut(offered=False, reason=result.reason)
    return OfferOut(
        offered=True,
        ticket_id=result.survey.ticket_id,
        scale=result.survey.scale,
    )


@router.post("/answers", dependencies=[ServiceCaller])
async def answer(body: AnswerIn, session: SessionDep, runtime: RuntimeDep) -> VerdictOut:
    """Store the customer's rating; a second one or one after closing is not stored."""
    status = await service.answer(
        session, runtime, body.ticket_id, body.conversation_id, body.rating, utc_now()
    )
    return VerdictOut(status=status)


@router.post("/comments", dependencies=[ServiceCaller])
async def comment(body: CommentIn, session: SessionDep, runtime: RuntimeDep) -> VerdictOut:
    """Store the customer's optional comment after their rating (once)."""
    status = await service.comment(
        session, runtime, body.ticket_id, body.conversation_id, body.comment, utc_now()
    )
    return VerdictOut(status=status)


@router.get("/follow-ups")
async def follow_ups(
    _: LeadOrAdmin,
    session: SessionDep,
    include_done: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[FollowUpOut]:
    """Bad ratings to look at, newest first (admins and team leads)."""
    rows = await service.follow_ups(session, include_done, limit)
    return [FollowUpOut.model_validate(r | {"comment": masked_comment(r["comment"])}) for r in rows]


@router.post("/follow-ups/{follow_up_id}/done")
async def finish(follow_up_id: PathId, staff: LeadOrAdmin, session: SessionDep) -> FollowUpOut:
    """Mark a follow-up done (admins and team leads); 409 when it already is."""
    await service.finish_follow_up(session, follow_up_id, staff.id, utc_now())
    [done] = await service.follow_ups(session, True, 1, follow_up_id)
    return FollowUpOut.model_validate(done)
