"""Reveal a masked message (audited) and read the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from inbox_api.deps import CurrentStaff, SessionDep, require_roles
from inbox_api.privacy import service
from inbox_api.privacy.schemas import PacketRevealOut, RevealIn, RevealOut, RevealPage
from inbox_api.schemas import Offset, PathId
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1", tags=["privacy"])


@router.post(
    "/tickets/{ticket_id}/messages/{message_id}/reveal",
    dependencies=[require_roles("agent", "admin")],
)
async def reveal_message(
    ticket_id: PathId, message_id: PathId, body: RevealIn, session: SessionDep, staff: CurrentStaff
) -> RevealOut:
    """Show one message unmasked (the ticket's assignee or an admin); written to the audit log."""
    return await service.reveal_message(
        session, ticket_id, message_id, staff, body.reason, utc_now()
    )


@router.post("/tickets/{ticket_id}/packet/reveal", dependencies=[require_roles("agent", "admin")])
async def reveal_packet(
    ticket_id: PathId, body: RevealIn, session: SessionDep, staff: CurrentStaff
) -> PacketRevealOut:
    """Show the escalation packet unmasked (assignee or admin); written to the audit log."""
    return await service.reveal_packet(session, ticket_id, staff, body.reason, utc_now())


@router.get("/privacy/reveals", dependencies=[require_roles("admin")])
async def list_reveals(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> RevealPage:
    """Who revealed which customer data, when and why, newest first (admins only)."""
    return await service.reveals(session, limit, offset)
