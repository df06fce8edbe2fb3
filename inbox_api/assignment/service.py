"""The rules of assignment: presence, teams, the round robin and the away release.

Every inbox worker runs the same passes (woken by escalations, resolves and presence
changes, and every few seconds). They never give one ticket to two agents and never go
over an agent's cap, because each assignment is its own short transaction that first
takes the agent's row and then sets the ticket's assignee only while it is still free
(compare-and-set, like the claims in inbox_api/tickets).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.assignment import repository
from inbox_api.assignment.models import AgentState, Team, TeamChange
from inbox_api.assignment.repository import Candidate
from inbox_api.background import stop_task
from inbox_api.errors import Conflict, InboxError, NotFound
from inbox_api.runtime import Runtime, after_commit
from inbox_api.staff.models import Staff
from kit.clock import utc_now

log = logging.getLogger(__name__)
NEVER = datetime.min.replace(tzinfo=UTC)
# Tickets looked at per pass; a longer queue is worked through in further passes.
PASS_SIZE = 200


@dataclass(frozen=True)
class Assignment:
    """One ticket given to one agent by a pass."""

    ticket_id: int
    staff_id: int
    language: str


def pick(candidates: Sequence[Candidate], language: str) -> Candidate | None:
    """Round robin: of the agents who speak `language` and have room, whoever waited longest."""
    fitting = [c for c in candidates if language in c.languages and c.open_tickets < c.cap]
    if not fitting:
        return None
    return min(fitting, key=lambda c: (c.last_assigned_at or NEVER, c.staff_id))


async def _publish(runtime: Runtime, event: dict[str, object]) -> None:
    try:
        await runtime.broadcaster.publish(event)
    except Exception:
        # The assignment is committed; live views catch up on their next reload.
        log.exception("could not publish %s", event.get("type"))


async def _try_assign(runtime: Runtime, ticket_id: int, staff_id: int, at: datetime) -> str:
    """One assignment in its own transaction: `assigned`, `agent_gone`, `full` or `taken`."""
    async with runtime.sessions() as session:
        if not await repository.take_turn(session, staff_id, at):
            await session.rollback()
            return "agent_gone"
        if await repository.room_of(session, staff_id) <= 0:
            await session.rollback()
            return "full"
        if not await repository.assign_if_waiting(session, ticket_id, staff_id, at):
            await session.rollback()
            return "taken"
        await session.commit()
    return "assigned"


async def assign_waiting(runtime: Runtime, now: datetime) -> list[Assignment]:
    """Give waiting tickets to online agents with room, nearest SLA deadline first."""
    async with runtime.sessions() as session:
        tickets = await repository.waiting_tickets(session, PASS_SIZE)
        if not tickets:
            return []
        candidates = await repository.candidates(session)
    done: list[Assignment] = []
    for ticket_id, language in tickets:
        while candidates:
            agent = pick(candidates, language)
            if agent is None:
                break
            # Distinct instants keep the round robin's order within one pass.
            at = now + timedelta(microseconds=len(done))
            outcome = await _try_assign(runtime, ticket_id, agent.staff_id, at)
            if outcome == "assigned":
                agent.open_tickets += 1
                agent.last_assigned_at = at
                done.append(Assignment(ticket_id, agent.staff_id, language))
                await _publish(
                    runtime,
                    {
                        "type": "ticket.assigned",
                        "ticket_id": ticket_id,
                        "assignee_id": agent.staff_id,
                        "language": language,
                        "auto": True,
                    },
                )
                break
            if outcome == "taken":
                break  # another worker (or a claim) got there first: next ticket
            # Gone away or full (another worker filled the last place): not again this pass.
            candidates = [c for c in candidates if c.staff_id != agent.staff_id]
    return done


async def release_from_away(runtime: Runtime, now: datetime) -> list[int]:
    """Put the unanswered tickets of agents away longer than their team allows back in the pool."""
    async with runtime.sessions() as session:
        away = await repository.away_too_long(session, now)
    released: list[int] = []
    for staff_id, since, minutes in away:
        if now - since < timedelta(minutes=minutes):
            continue
        async with runtime.sessions() as session:
            ids = await repository.unanswered_of(session, staff_id)
            if not ids or not await repository.release(session, staff_id, ids, now):
                await session.rollback()
                continue
            freed = await repository.released_ids(session, ids)
            await session.commit()
        for ticket_id in freed:
            await _publish(
                runtime,
                {"type": "ticket.released", "ticket_id": ticket_id, "from_staff_id": staff_id},
            )
        released.extend(freed)
    return released


class Assigner:
    """Runs the release and assignment passes when woken, and every `interval` seconds."""

    def __init__(self, runtime: Runtime, interval: float) -> None:
        self._runtime = runtime
        self._interval = interval
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Run a pass soon (safe to call often: passes never overlap)."""
        self._wake.set()

    async def start(self) -> None:
        """Start the loop."""
        self._task = asyncio.create_task(self._loop(), name="assignment")

    async def stop(self) -> None:
        """Stop the loop."""
        if self._task is not None:
            await stop_task(self._task)
            self._task = None

    async def _loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._interval)
            self._wake.clear()
            try:
                now = utc_now()
                await release_from_away(self._runtime, now)
                while len(await assign_waiting(self._runtime, now)) >= PASS_SIZE:
                    now = utc_now()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("assignment pass failed; next pass in %s s", self._interval)


def wake_after_commit(session: AsyncSession, runtime: Runtime) -> None:
    """Look for tickets to assign once this transaction has committed."""

    async def wake() -> None:
        runtime.wake_assignment()

    after_commit(session, wake)


# ---- presence and teams ---------------------------------------------------------------------


async def state_of(session: AsyncSession, staff_id: int, now: datetime) -> AgentState:
    """The staff member's assignment state, created (away, no team) on first use."""
    state = await session.get(AgentState, staff_id)
    if state is not None:
        return state
    try:
        async with session.begin_nested():
            state = AgentState(staff_id=staff_id, presence="away", presence_since=now)
            session.add(state)
            await session.flush()
    except IntegrityError:
        # Another request created it first.
        state = await session.get(AgentState, staff_id, populate_existing=True)
        if state is None:
            raise NotFound(f"No staff member with id {staff_id}.") from None
    return state


async def set_presence(
    session: AsyncSession, runtime: Runtime, staff_id: int, presence: str, now: datetime
) -> AgentState:
    """Mark an agent online or away; online wakes the assignment."""
    state = await state_of(session, staff_id, now)
    if state.presence != presence:
        state.presence = presence
        state.presence_since = now
        await session.flush()

        async def tell() -> None:
            await _publish(
                runtime, {"type": "agent.presence", "staff_id": staff_id, "presence": presence}
            )

        after_commit(session, tell)
    wake_after_commit(session, runtime)
    return state


async def is_lead(session: AsyncSession, staff_id: int) -> bool:
    """Whether the staff member leads a team."""
    return bool(
        await session.scalar(
            select(AgentState.is_lead).where(
                AgentState.staff_id == staff_id, AgentState.team_id.is_not(None)
            )
        )
    )


async def get_team(session: AsyncSession, team_id: int) -> Team:
    """A team, or NotFound."""
    team = await session.get(Team, team_id)
    if team is None:
        raise NotFound(f"There is no team {team_id}.")
    return team


async def _name_free(session: AsyncSession, name: str, except_id: int | None = None) -> None:
    other = await session.scalar(select(Team.id).where(Team.name == name))
    if other is not None and other != except_id:
        raise Conflict(f"A team named {name!r} exists already.")


TEAM_RULES = ("name", "auto_assign", "max_open_per_agent", "away_release_minutes")


def _rules(team: Team) -> dict[str, Any]:
    return {field: getattr(team, field) for field in TEAM_RULES}


def _member(staff: Staff, state: AgentState | None) -> dict[str, Any]:
    return {
        "staff_id": staff.id,
        "name": staff.name,
        "languages": list(staff.languages or []),
        "lead": bool(state is not None and state.is_lead),
    }


def _audit(
    session: AsyncSession,
    team: Team,
    action: str,
    by: int | None,
    now: datetime,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    session.add(
        TeamChange(
            team_id=team.id, team_name=team.name, action=action, staff_id=by, at=now,
            before=before, after=after,
        )
    )


async def create_team(
    session: AsyncSession,
    runtime: Runtime | None,
    name: str,
    auto_assign: bool,
    max_open_per_agent: int,
    away_release_minutes: int,
    by: int | None,
    now: datetime,
) -> Team:
    """A new team with its assignment rules (audited)."""
    await _name_free(session, name)
    team = Team(
        name=name,
        auto_assign=auto_assign,
        max_open_per_agent=max_open_per_agent,
        away_release_minutes=away_release_minutes,
        created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(team)
            await session.flush()
    except IntegrityError:
        raise Conflict(f"A team named {name!r} exists already.") from None
    _audit(session, team, "created", by, now, None, _rules(team))
    await session.flush()
    if runtime is not None:
        wake_after_commit(session, runtime)
    return team


async def update_team(
    session: AsyncSession,
    runtime: Runtime,
    team_id: int,
    changes: dict[str, object],
    by: int,
    now: datetime,
) -> Team:
    """Change a team's name or rules (audited; a higher cap or auto-assign on wakes the
    assignment)."""
    team = await get_team(session, team_id)
    before = _rules(team)
    name = changes.get("name")
    if isinstance(name, str):
        await _name_free(session, name, except_id=team.id)
    for field, value in changes.items():
        setattr(team, field, value)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(f"A team named {name!r} exists already.") from None
    if _rules(team) != before:
        _audit(session, team, "updated", by, now, before, _rules(team))
        await session.flush()
    wake_after_commit(session, runtime)
    return team


async def set_member(
    session: AsyncSession,
    runtime: Runtime | None,
    team_id: int,
    staff_id: int,
    lead: bool,
    languages: Sequence[str] | None,
    by: int | None,
    now: datetime,
) -> AgentState:
    """Put a staff member in a team (moving them from another), as lead or not, and set the
    languages they answer in when given (audited)."""
    team = await get_team(session, team_id)
    staff = await session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(f"No staff member with id {staff_id}.")
    if staff.role not in repository.TICKET_ROLES:
        raise InboxError(
            f"{staff.name} is a {staff.role}; only agents and admins work tickets in a team.", 422
        )
    state = await state_of(session, staff_id, now)
    joined = state.team_id != team_id
    before = None if joined else _member(staff, state)
    state.team_id = team_id
    state.is_lead = lead
    if languages is not None:
        # Auto-assignment offers a ticket only to agents who speak its language.
        staff.languages = list(dict.fromkeys(languages))
    await session.flush()
    after = _member(staff, state)
    if after != before:
        _audit(session, team, "member_added" if joined else "member_changed", by, now,
               before, after)
        await session.flush()
    if runtime is not None:
        wake_after_commit(session, runtime)
    return state


async def remove_member(
    session: AsyncSession, team_id: int, staff_id: int, by: int, now: datetime
) -> None:
    """Take a staff member out of a team (audited; NotFound when they are not in it)."""
    team = await get_team(session, team_id)
    state = await session.get(AgentState, staff_id)
    staff = await session.get(Staff, staff_id)
    if state is None or staff is None or state.team_id != team_id:
        raise NotFound(f"Staff member {staff_id} is not in team {team_id}.")
    before = _member(staff, state)
    state.team_id = None
    state.is_lead = False
    _audit(session, team, "member_removed", by, now, before, None)
    await session.flush()


async def team_changes(session: AsyncSession, limit: int, offset: int) -> Sequence[TeamChange]:
    """The teams' audit trail, newest first."""
    statement = select(TeamChange).order_by(TeamChange.id.desc()).limit(limit).offset(offset)
    return (await session.scalars(statement)).all()


async def ensure_demo_team(session: AsyncSession, name: str, email: str, now: datetime) -> str:
    """The demo's team with the demo login as its lead, made once (`make run` seeds it)."""
    staff = await session.scalar(select(Staff).where(Staff.email == email.strip().lower()))
    if staff is None:
        raise NotFound(f"No staff member with e-mail {email.strip().lower()}.")
    team = await session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = await create_team(session, None, name, True, 5, 15, None, now)
        made = f"Created team {name!r} (auto-assignment on, at most 5 open tickets each)"
    else:
        made = f"Team {name!r} exists"
    state = await session.get(AgentState, staff.id)
    if state is None or state.team_id is None:
        # Never moves someone an admin put in another team.
        await set_member(session, None, team.id, staff.id, True, None, None, now)
        return f"{made}; {staff.email} leads it."
    return f"{made}; {staff.email} is in a team already."
