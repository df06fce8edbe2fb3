"""The select() and compare-and-set update statements of assignment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Result, and_, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from inbox_api.assignment.models import AgentState, Team
from inbox_api.staff.models import Staff
from inbox_api.tickets.models import Message, Ticket

# Staff who may be given tickets (trainers work on the trainer page only).
TICKET_ROLES = ("agent", "admin")


@dataclass
class Candidate:
    """An online agent of an auto-assigning team, with room counted at the start of a pass."""

    staff_id: int
    languages: list[str]
    open_tickets: int
    cap: int
    last_assigned_at: datetime | None


def _rows(result: Result[Any]) -> int:
    rowcount: int = cast(CursorResult[Any], result).rowcount
    return rowcount


def open_count_of(staff_id: Any) -> Any:
    """The number of unresolved tickets a staff member holds (a scalar subquery)."""
    return (
        select(func.count(Ticket.id))
        .where(Ticket.assignee_id == staff_id, Ticket.status != "resolved")
        .scalar_subquery()
    )


async def candidates(session: AsyncSession) -> list[Candidate]:
    """Online agents of teams that assign automatically, with their open tickets and cap."""
    rows = await session.execute(
        select(
            AgentState.staff_id,
            Staff.languages,
            open_count_of(AgentState.staff_id),
            Team.max_open_per_agent,
            AgentState.last_assigned_at,
        )
        .join(Staff, Staff.id == AgentState.staff_id)
        .join(Team, Team.id == AgentState.team_id)
        .where(
            AgentState.presence == "online",
            Team.auto_assign.is_(True),
            Staff.active.is_(True),
            Staff.role.in_(TICKET_ROLES),
        )
    )
    return [Candidate(r[0], list(r[1] or []), int(r[2]), int(r[3]), r[4]) for r in rows]


async def waiting_tickets(session: AsyncSession, limit: int) -> list[tuple[int, str]]:
    """Open tickets nobody holds, nearest SLA deadline first: (id, language)."""
    rows = await session.execute(
        select(Ticket.id, Ticket.language)
        .where(Ticket.status == "open", Ticket.assignee_id.is_(None))
        .order_by(Ticket.sla_due_at.asc().nulls_last(), Ticket.id)
        .limit(limit)
    )
    return [(int(r[0]), str(r[1])) for r in rows]


async def take_turn(session: AsyncSession, staff_id: int, at: datetime) -> bool:
    """Move the agent to the back of the round robin, if still online in an auto team.

    The first write of the assignment's transaction: it takes the agent's row (a row lock on
    PostgreSQL, the write lock on SQLite), so two workers count this agent's tickets one
    after the other and the cap holds.
    """
    auto_team = select(Team.id).where(Team.auto_assign.is_(True))
    result = await session.execute(
        update(AgentState)
        .where(
            AgentState.staff_id == staff_id,
            AgentState.presence == "online",
            AgentState.team_id.in_(auto_team),
        )
        .values(last_assigned_at=at)
        .execution_options(synchronize_session=False)
    )
    return _rows(result) == 1


async def room_of(session: AsyncSession, staff_id: int) -> int:
    """How many more tickets the agent may be given now (read after take_turn)."""
    row = (
        await session.execute(
            select(Team.max_open_per_agent, open_count_of(staff_id))
            .join(AgentState, AgentState.team_id == Team.id)
            .where(AgentState.staff_id == staff_id)
        )
    ).first()
    return 0 if row is None else int(row[0]) - int(row[1])


async def assign_if_waiting(
    session: AsyncSession, ticket_id: int, staff_id: int, at: datetime
) -> bool:
    """Compare-and-set: give the ticket to the agent only while it is open and nobody's."""
    result = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.assignee_id.is_(None), Ticket.status == "open")
        .values(assignee_id=staff_id, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    return _rows(result) == 1


def unanswered() -> Any:
    """Tickets whose latest customer message has no agent reply after it."""
    latest_customer = (
        select(func.max(Message.id))
        .where(Message.ticket_id == Ticket.id, Message.role == "customer")
        .correlate(Ticket)
        .scalar_subquery()
    )
    reply = aliased(Message)
    return ~exists(
        select(reply.id).where(
            reply.ticket_id == Ticket.id,
            reply.role == "agent",
            reply.id > func.coalesce(latest_customer, 0),
        )
    )


async def away_too_long(session: AsyncSession, now: datetime) -> list[tuple[int, datetime, int]]:
    """Away agents of a team: (staff id, away since, the team's release minutes)."""
    rows = await session.execute(
        select(AgentState.staff_id, AgentState.presence_since, Team.away_release_minutes)
        .join(Team, Team.id == AgentState.team_id)
        .where(AgentState.presence == "away", AgentState.presence_since <= now)
    )
    return [(int(r[0]), r[1], int(r[2])) for r in rows]


async def unanswered_of(session: AsyncSession, staff_id: int) -> list[int]:
    """The open tickets an agent holds that wait for their answer."""
    rows = await session.scalars(
        select(Ticket.id).where(
            Ticket.assignee_id == staff_id, Ticket.status == "open", unanswered()
        )
    )
    return [int(i) for i in rows]


async def release(
    session: AsyncSession, staff_id: int, ticket_ids: Sequence[int], at: datetime
) -> int:
    """Compare-and-set: put these tickets back in the pool while the agent still holds them
    unanswered (a reply that arrived meanwhile keeps the ticket with them)."""
    if not ticket_ids:
        return 0
    result = await session.execute(
        update(Ticket)
        .where(
            and_(
                Ticket.id.in_(ticket_ids),
                Ticket.assignee_id == staff_id,
                Ticket.status == "open",
                unanswered(),
            )
        )
        .values(assignee_id=None, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    return _rows(result)


async def released_ids(session: AsyncSession, ticket_ids: Sequence[int]) -> list[int]:
    """Which of these tickets nobody holds now."""
    if not ticket_ids:
        return []
    rows = await session.scalars(
        select(Ticket.id).where(Ticket.id.in_(ticket_ids), Ticket.assignee_id.is_(None))
    )
    return [int(i) for i in rows]
