"""The select() statements of the tickets domain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer, selectinload

from inbox_api.tickets.models import Message, Ticket

COUNT_CAP = 10_000


@dataclass(frozen=True)
class TicketFilter:
    """Queue filters; None means any."""

    statuses: Sequence[str] | None = None
    language: str | None = None
    priority: str | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    # Hide tickets in other languages from this agent (language offer window), unless older.
    hide_languages: Sequence[str] = ()
    hide_escalated_after: datetime | None = None


async def find_open_for_conversation(
    session: AsyncSession, channel: str, conversation_id: str, *, lock: bool
) -> Ticket | None:
    """The unresolved ticket of a conversation, if any."""
    stmt = (
        select(Ticket)
        .where(
            Ticket.channel == channel,
            Ticket.conversation_id == conversation_id,
            Ticket.status != "resolved",
        )
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def get_for_update(session: AsyncSession, ticket_id: int, *, lock: bool) -> Ticket | None:
    """A ticket, row-locked on PostgreSQL so concurrent changes queue up."""
    stmt = select(Ticket).where(Ticket.id == ticket_id)
    if lock:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def get_detail(session: AsyncSession, ticket_id: int) -> Ticket | None:
    """A ticket with its assignee, messages (and their authors) and status changes."""
    stmt = (
        select(Ticket)
        .where(Ticket.id == ticket_id)
        .options(
            selectinload(Ticket.assignee),
            selectinload(Ticket.messages).selectinload(Message.author),
            selectinload(Ticket.status_changes),
        )
        .execution_options(populate_existing=True)
    )
    return await session.scalar(stmt)


_S = TypeVar("_S", bound=Select[Any])


def _filtered(stmt: _S, f: TicketFilter) -> _S:
    if f.statuses:
        stmt = stmt.where(Ticket.status.in_(f.statuses))
    if f.language:
        stmt = stmt.where(Ticket.language == f.language)
    if f.priority:
        stmt = stmt.where(Ticket.priority == f.priority)
    if f.assignee_id is not None:
        stmt = stmt.where(Ticket.assignee_id == f.assignee_id)
    if f.unassigned:
        stmt = stmt.where(Ticket.assignee_id.is_(None))
    if f.hide_languages and f.hide_escalated_after is not None:
        stmt = stmt.where(
            ~(
                Ticket.language.in_(f.hide_languages)
                & (Ticket.escalated_at > f.hide_escalated_after)
            )
        )
    return stmt


async def list_tickets(
    session: AsyncSession, f: TicketFilter, limit: int, offset: int
) -> tuple[list[Ticket], int]:
    """A page of tickets, nearest SLA deadline first (tickets with no running clock last)."""
    # The packet (transcript and all) is for the ticket view; the queue never reads it.
    stmt = _filtered(select(Ticket), f).options(
        selectinload(Ticket.assignee), defer(Ticket.packet, raiseload=True)
    )
    stmt = (
        stmt.order_by(Ticket.sla_due_at.asc().nulls_last(), Ticket.id).limit(limit).offset(offset)
    )
    items = list((await session.scalars(stmt)).all())
    # Counting stops at COUNT_CAP: an exact count of a huge queue costs more than the page.
    capped = _filtered(select(Ticket.id), f).limit(COUNT_CAP + 1).subquery()
    total = await session.scalar(select(func.count()).select_from(capped))
    return items, int(total or 0)


async def previews(session: AsyncSession, ticket_ids: Sequence[int]) -> dict[int, str]:
    """The latest customer message of each ticket, cut short."""
    if not ticket_ids:
        return {}
    latest = (
        select(func.max(Message.id))
        .where(Message.ticket_id.in_(ticket_ids), Message.role == "customer")
        .group_by(Message.ticket_id)
    )
    rows = await session.execute(
        select(Message.ticket_id, Message.text).where(Message.id.in_(latest))
    )
    return {tid: text[:140] for tid, text in rows}
