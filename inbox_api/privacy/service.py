"""Revealing masked data: only to the ticket's agent or an admin, and always audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.errors import Forbidden, NotFound
from inbox_api.privacy.models import Reveal
from inbox_api.privacy.schemas import (
    PacketRevealOut,
    RevealOut,
    RevealPage,
    RevealRecordOut,
)
from inbox_api.staff.models import Staff
from inbox_api.tickets.models import Message, Ticket


def _may_reveal(ticket: Ticket, staff: Staff) -> None:
    if staff.role == "admin":
        return
    if ticket.assignee_id != staff.id:
        raise Forbidden(
            "Only the colleague handling this ticket (or an admin) may reveal a customer's "
            "data; claim the ticket first."
        )


async def _audit(
    session: AsyncSession,
    staff: Staff,
    ticket_id: int,
    message_id: int | None,
    reason: str | None,
    now: datetime,
) -> Reveal:
    record = Reveal(
        staff_id=staff.id,
        ticket_id=ticket_id,
        message_id=message_id,
        reason=(reason or "").strip() or None,
        at=now,
    )
    session.add(record)
    await session.flush()
    return record


async def reveal_message(
    session: AsyncSession,
    ticket_id: int,
    message_id: int,
    staff: Staff,
    reason: str | None,
    now: datetime,
) -> RevealOut:
    """The message's text as the customer wrote it; the reveal is written to the audit log."""
    ticket = await session.get(Ticket, ticket_id)
    message = await session.get(Message, message_id)
    if ticket is None or message is None or message.ticket_id != ticket_id:
        raise NotFound(f"Ticket {ticket_id} has no message {message_id}.")
    _may_reveal(ticket, staff)
    record = await _audit(session, staff, ticket_id, message_id, reason, now)
    return RevealOut(message_id=message.id, text=message.text, audit_id=record.id)


async def reveal_packet(
    session: AsyncSession, ticket_id: int, staff: Staff, reason: str | None, now: datetime
) -> PacketRevealOut:
    """The ticket's escalation packet unmasked; the reveal is written to the audit log."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(f"There is no ticket {ticket_id}.")
    _may_reveal(ticket, staff)
    record = await _audit(session, staff, ticket_id, None, reason, now)
    return PacketRevealOut(ticket_id=ticket.id, packet=ticket.packet, audit_id=record.id)


async def reveals(session: AsyncSession, limit: int, offset: int) -> RevealPage:
    """The audit log of reveals, newest first, with the staff member's name."""
    rows = await session.execute(
        select(Reveal, Staff.name)
        .outerjoin(Staff, Staff.id == Reveal.staff_id)
        .order_by(Reveal.at.desc(), Reveal.id.desc())
        .limit(limit)
        .offset(offset)
    )
    total = await session.scalar(select(func.count()).select_from(Reveal))
    return RevealPage(
        items=[
            RevealRecordOut(
                id=record.id,
                staff_id=record.staff_id,
                staff_name=name,
                ticket_id=record.ticket_id,
                message_id=record.message_id,
                reason=record.reason,
                at=record.at,
            )
            for record, name in rows.all()
        ],
        total=int(total or 0),
        limit=limit,
        offset=offset,
    )
