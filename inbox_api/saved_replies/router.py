"""Saved replies: agents list and insert them, admins manage them (every change audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from inbox_api.deps import CurrentStaff, RuntimeDep, SessionDep, TicketWorker, require_roles
from inbox_api.saved_replies import service
from inbox_api.saved_replies.models import SavedReplyChange
from inbox_api.saved_replies.schemas import (
    RenderedReplyOut,
    SavedReplyChangeOut,
    SavedReplyIn,
    SavedReplyOut,
)
from inbox_api.schemas import Offset, PathId
from inbox_api.staff.models import Staff
from inbox_api.tickets.schemas import StaffRef
from inbox_api.tickets.service import get_ticket_row
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1", tags=["saved replies"])
Admin = require_roles("admin")
Shortcut = Annotated[str, Path(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]


@router.get("/saved-replies")
async def list_saved_replies(session: SessionDep, _: TicketWorker) -> list[SavedReplyOut]:
    """Every saved reply, with the language variants it still lacks."""
    return [SavedReplyOut.of(r) for r in await service.list_replies(session)]


@router.post("/saved-replies", status_code=201, dependencies=[Admin])
async def create_saved_reply(
    body: SavedReplyIn, session: SessionDep, staff: CurrentStaff
) -> SavedReplyOut:
    """Save a new reply (admins); unknown variables are refused."""
    return SavedReplyOut.of(await service.create(session, body, staff, utc_now()))


@router.put("/saved-replies/{reply_id}", dependencies=[Admin])
async def update_saved_reply(
    reply_id: PathId, body: SavedReplyIn, session: SessionDep, staff: CurrentStaff
) -> SavedReplyOut:
    """Change a saved reply (admins)."""
    return SavedReplyOut.of(await service.update(session, reply_id, body, staff, utc_now()))


@router.delete("/saved-replies/{reply_id}", status_code=204, dependencies=[Admin])
async def delete_saved_reply(reply_id: PathId, session: SessionDep, staff: CurrentStaff) -> None:
    """Delete a saved reply (admins); the audit trail keeps it."""
    await service.delete(session, reply_id, staff, utc_now())


@router.get("/saved-replies/changes", dependencies=[Admin])
async def saved_reply_changes(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> list[SavedReplyChangeOut]:
    """Who changed which saved reply when, newest first (admins)."""
    rows = await service.changes(session, limit, offset)
    names = {s.id: s.name for s in await _staff(session, {row.staff_id for row in rows})}
    return [_change_out(row, names) for row in rows]


async def _staff(session: SessionDep, ids: set[int]) -> list[Staff]:
    if not ids:
        return []
    return list((await session.scalars(select(Staff).where(Staff.id.in_(ids)))).all())


def _change_out(row: SavedReplyChange, names: dict[int, str]) -> SavedReplyChangeOut:
    return SavedReplyChangeOut(
        id=row.id,
        saved_reply_id=row.saved_reply_id,
        shortcut=row.shortcut,
        action=row.action,
        staff=StaffRef(id=row.staff_id, name=names.get(row.staff_id, "?")),
        at=row.at,
        before=row.before,
        after=row.after,
    )


@router.get("/tickets/{ticket_id}/saved-replies/{shortcut}")
async def render_saved_reply(
    ticket_id: PathId, shortcut: Shortcut, session: SessionDep, runtime: RuntimeDep, _: TicketWorker
) -> RenderedReplyOut:
    """The saved reply in the ticket's language with its variables filled (409 without it)."""
    ticket = await get_ticket_row(session, ticket_id)
    return await service.render(session, ticket, shortcut, runtime.calendar.timezone)
