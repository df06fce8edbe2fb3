"""A staff member's notifications and the colleagues they can @mention."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from inbox_api.deps import SessionDep, TicketWorker
from inbox_api.notifications import service
from inbox_api.schemas import Instant, PathId
from inbox_api.tickets.schemas import StaffRef
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1", tags=["notifications"])
PREVIEW_CHARS = 200


class NotificationOut(BaseModel):
    """A note that mentioned you."""

    id: int
    kind: Literal["mention"]
    ticket_id: int
    message_id: int
    by: StaffRef
    preview: str
    created_at: Instant
    read_at: Instant | None


class NotificationPage(BaseModel):
    """Your newest notifications and how many are unread."""

    items: list[NotificationOut]
    unread: int


class MentionableOut(BaseModel):
    """A colleague: `@handle` (or the first name, when unique) names them in a note."""

    id: int
    name: str
    handle: str


@router.get("/notifications")
async def notifications(
    session: SessionDep, staff: TicketWorker, limit: Annotated[int, Query(ge=1, le=100)] = 30
) -> NotificationPage:
    """Your notifications, newest first."""
    rows, unread = await service.list_for(session, staff.id, limit)
    return NotificationPage(
        items=[
            NotificationOut(
                id=n.id,
                kind="mention",
                ticket_id=n.ticket_id,
                message_id=n.message_id,
                by=StaffRef(id=n.by.id, name=n.by.name),
                preview=text[:PREVIEW_CHARS],
                created_at=n.created_at,
                read_at=n.read_at,
            )
            for n, text in rows
        ],
        unread=unread,
    )


@router.post("/notifications/{notification_id}/read", status_code=204)
async def read_one(notification_id: PathId, session: SessionDep, staff: TicketWorker) -> None:
    """Mark one of your notifications read."""
    await service.mark_read(session, staff.id, notification_id, utc_now())


@router.post("/notifications/read", status_code=204)
async def read_all(session: SessionDep, staff: TicketWorker) -> None:
    """Mark all your notifications read."""
    await service.mark_read(session, staff.id, None, utc_now())


@router.get("/notifications/mentionable")
async def mentionable(session: SessionDep, _: TicketWorker) -> list[MentionableOut]:
    """Colleagues who can be @mentioned in a note."""
    return [
        MentionableOut(id=p.id, name=p.name, handle=p.handle)
        for p in await service.colleagues(session)
    ]
