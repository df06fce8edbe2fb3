"""Queries the SLA engine needs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import literal, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.sla.models import SlaEvent
from inbox_api.tickets.models import Message, StatusChange, Ticket


async def history_rows(
    session: AsyncSession, ticket_id: int
) -> tuple[Sequence[tuple[str, datetime]], Sequence[tuple[str, datetime]]]:
    """(role, at) of every customer/agent message and (status, at) of every status change."""
    # One round trip for both: messages (kind 0) and status changes (kind 1), each in id order.
    messages = select(
        literal(0).label("kind"), Message.id, Message.role.label("what"), Message.created_at
    ).where(Message.ticket_id == ticket_id, Message.role.in_(("customer", "agent")))
    changes = select(
        literal(1), StatusChange.id, StatusChange.to_status, StatusChange.at
    ).where(StatusChange.ticket_id == ticket_id)
    rows = (await session.execute(union_all(messages, changes).order_by("kind", "id"))).all()
    return (
        [(what, at) for kind, _, what, at in rows if kind == 0],
        [(what, at) for kind, _, what, at in rows if kind == 1],
    )


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


async def checks_due_before(session: AsyncSession, at: datetime, limit: int) -> list[int]:
    """Tickets whose planned check is at or before `at` (overdue: the scheduler missed them)."""
    rows = await session.scalars(
        select(Ticket.id)
        .where(Ticket.sla_next_check_at <= at)
        .order_by(Ticket.sla_next_check_at)
        .limit(limit)
    )
    return list(rows)


async def checks_between(
    session: AsyncSession, start: datetime, end: datetime
) -> list[tuple[int, datetime]]:
    """Planned checks in (start, end]: the ones the scheduler must hold before the next pass."""
    rows = await session.execute(
        select(Ticket.id, Ticket.sla_next_check_at).where(
            Ticket.sla_next_check_at > start, Ticket.sla_next_check_at <= end
        )
    )
    return [(i, at) for i, at in rows if at is not None]


async def take_ticket(session: AsyncSession, ticket_id: int) -> Ticket | None:
    """The ticket, taken for this transaction before it is read (both databases).

    PostgreSQL: a row lock (FOR UPDATE, no new row version). SQLite has no row locks: a
    no-op write takes the database's write lock, so the read after it is the latest.
    """
    stmt = select(Ticket).where(Ticket.id == ticket_id).execution_options(populate_existing=True)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return await session.scalar(stmt.with_for_update())
    await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id)
        .values(sla_next_check_at=Ticket.sla_next_check_at)
        .execution_options(synchronize_session=False)
    )
    return await session.scalar(stmt)
