"""Queries the SLA engine needs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.sla.models import SlaEvent
from inbox_api.tickets.models import Message, StatusChange, Ticket


async def history_rows(
    session: AsyncSession, ticket_id: int
) -> tuple[Sequence[tuple[str, datetime]], Sequence[tuple[str, datetime]]]:
    """(role, at) of every customer/agent message and (status, at) of every status change."""
    messages = (
        await session.execute(
            select(Message.role, Message.created_at)
            .where(Message.ticket_id == ticket_id, Message.role.in_(("customer", "agent")))
            .order_by(Message.id)
        )
    ).all()
    changes = (
        await session.execute(
            select(StatusChange.to_status, StatusChange.at)
            .where(StatusChange.ticket_id == ticket_id)
            .order_by(StatusChange.id)
        )
    ).all()
    return [(r, a) for r, a in messages], [(s, a) for s, a in changes]


async def insert_new_events(session: AsyncSession, rows: list[dict[str, Any]]) -> list[SlaEvent]:
    """Insert events that do not exist yet; return only those this call inserted."""
    if not rows:
        return []
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(SlaEvent)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["ticket_id", "metric", "cycle", "kind"])
        .returning(SlaEvent.id)
    )
    ids = list((await session.execute(stmt)).scalars())
    if not ids:
        return []
    return list((await session.scalars(select(SlaEvent).where(SlaEvent.id.in_(ids)))).all())


async def pending_checks(session: AsyncSession) -> list[tuple[int, datetime]]:
    """Every ticket with a planned SLA check (used to rebuild the scheduler at start-up)."""
    rows = await session.execute(
        select(Ticket.id, Ticket.sla_next_check_at).where(Ticket.sla_next_check_at.is_not(None))
    )
    return [(i, at) for i, at in rows if at is not None]
