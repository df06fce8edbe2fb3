"""Snooze endpoints: until a time or until the customer answers, and waking a ticket."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from inbox_api.deps import RuntimeDep, SessionDep, TicketWorker
from inbox_api.schemas import Instant, PathId
from inbox_api.snooze import service
from inbox_api.snooze.schemas import SnoozeIn
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1", tags=["snooze"])


class SnoozeOut(BaseModel):
    """The snooze granted; `until` may be earlier than asked (a clock's warning point)."""

    mode: Literal["time", "reply"]
    until: Instant | None
    shortened_by: Literal["first_response", "next_response", "resolution"] | None


@router.post("/tickets/{ticket_id}/snooze")
async def snooze(
    ticket_id: PathId, body: SnoozeIn, session: SessionDep, runtime: RuntimeDep, staff: TicketWorker
) -> SnoozeOut:
    """Hide the ticket from the queue until a time or until the customer answers (409 if not)."""
    granted = await service.snooze(session, runtime, ticket_id, staff, body, utc_now())
    return SnoozeOut(
        mode=granted.mode,
        until=granted.until,
        shortened_by=granted.shortened_by,
    )


@router.delete("/tickets/{ticket_id}/snooze", status_code=204)
async def wake(
    ticket_id: PathId, session: SessionDep, runtime: RuntimeDep, _: TicketWorker
) -> None:
    """Bring a snoozed ticket back into the queue now."""
    await service.wake(session, runtime, ticket_id, utc_now())
