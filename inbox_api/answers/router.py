"""Answers at hand for the ticket view."""

from __future__ import annotations

from fastapi import APIRouter

from inbox_api.answers import service
from inbox_api.answers.schemas import AnswersOut
from inbox_api.deps import RuntimeDep, SessionDep, TicketWorker
from inbox_api.schemas import PathId
from inbox_api.tickets.service import get_ticket_row
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1", tags=["answers"])


@router.get("/tickets/{ticket_id}/answers")
async def answers(
    ticket_id: PathId, session: SessionDep, runtime: RuntimeDep, _: TicketWorker
) -> AnswersOut:
    """What the assistant understood, and live catalogue facts and the verified order to insert."""
    ticket = await get_ticket_row(session, ticket_id)
    return await service.answers_for(session, ticket, utc_now(), runtime.calendar.timezone)
