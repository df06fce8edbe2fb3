"""Presence, teams and who leads them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.assignment import repository, service
from inbox_api.assignment.models import AgentState, Team
from inbox_api.assignment.schemas import (
    AgentStateOut,
    MemberIn,
    MemberOut,
    PresenceIn,
    TeamChangeOut,
    TeamIn,
    TeamOut,
    TeamPatch,
    TeamStaffOut,
)
from inbox_api.deps import CurrentStaff, RuntimeDep, SessionDep, TicketWorker, require_roles
from inbox_api.errors import Forbidden
from inbox_api.schemas import Offset, PathId
from inbox_api.staff.models import Staff
from inbox_api.tickets.schemas import StaffRef
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1", tags=["assignment"])
Admin = require_roles("admin")


async def require_lead_or_admin(staff: CurrentStaff, session: SessionDep) -> Staff:
    """Admit admins and team leads (the dashboard, teams and follow-ups)."""
    if staff.role == "admin" or await service.is_lead(session, staff.id):
        return staff
    raise Forbidden("This is for admins and team leads.")


LeadOrAdmin = Annotated[Staff, Depends(require_lead_or_admin, scope="function")]


async def _members(session: AsyncSession, team_ids: list[int]) -> dict[int, list[MemberOut]]:
    rows = await session.execute(
        select(
            AgentState.team_id,
            AgentState.staff_id,
            Staff.name,
            Staff.languages,
            AgentState.is_lead,
            AgentState.presence,
            AgentState.presence_since,
            repository.open_count_of(AgentState.staff_id),
        )
        .join(Staff, Staff.id == AgentState.staff_id)
        .where(AgentState.team_id.in_(team_ids))
        .order_by(Staff.name, Staff.id)
    )
    members: dict[int, list[MemberOut]] = {team_id: [] for team_id in team_ids}
    for team_id, staff_id, name, languages, lead, presence, since, open_tickets in rows:
        members[team_id].append(
            MemberOut(
                staff_id=staff_id,
                name=name,
                languages=list(languages or []),
                lead=lead,
                presence=presence,
                presence_since=since,
                open_tickets=int(open_tickets),
            )
        )
    return members


async def _team_out(session: AsyncSession, team: Team) -> TeamOut:
    members = await _members(session, [team.id])
    return TeamOut.model_validate(team).model_copy(update={"members": members[team.id]})


async def _state_out(session: AsyncSession, state: AgentState) -> AgentStateOut:
    team = await session.get(Team, state.team_id) if state.team_id is not None else None
    open_tickets = await session.scalar(select(repository.open_count_of(state.staff_id)))
    return AgentStateOut(
        staff_id=state.staff_id,
        presence=state.presence,
        presence_since=state.presence_since,
        team=await _team_out(session, team) if team is not None else None,
        lead=state.is_lead and team is not None,
        open_tickets=int(open_tickets or 0),
    )


@router.get("/assignment/me")
async def my_state(staff: TicketWorker, session: SessionDep) -> AgentStateOut:
    """Your presence, team and the tickets you hold."""
    state = await service.state_of(session, staff.id, utc_now())
    return await _state_out(session, state)


@router.put("/assignment/me/presence")
async def set_presence(
    body: PresenceIn, staff: TicketWorker, session: SessionDep, runtime: RuntimeDep
) -> AgentStateOut:
    """Mark yourself online (auto-assignment may give you tickets) or away."""
    state = await service.set_presence(session, runtime, staff.id, body.presence, utc_now())
    return await _state_out(session, state)


@router.get("/teams")
async def list_teams(_: LeadOrAdmin, session: SessionDep) -> list[TeamOut]:
    """Every team with its rules, members, their presence and load (admins and team leads)."""
    teams = list(await session.scalars(select(Team).order_by(Team.name)))
    members = await _members(session, [t.id for t in teams])
    return [TeamOut.model_validate(t).model_copy(update={"members": members[t.id]}) for t in teams]


@router.get("/teams/staff", dependencies=[Admin])
async def team_staff(session: SessionDep) -> list[TeamStaffOut]:
    """Everyone who can work tickets in a team, with languages and team (admins; the teams
    page)."""
    rows = await session.execute(
        select(Staff, AgentState.team_id, AgentState.is_lead)
        .outerjoin(AgentState, AgentState.staff_id == Staff.id)
        .where(Staff.active.is_(True), Staff.role.in_(repository.TICKET_ROLES))
        .order_by(Staff.name, Staff.id)
    )
    return [
        TeamStaffOut(
            id=staff.id, name=staff.name, email=staff.email, role=staff.role,
            languages=list(staff.languages or []), team_id=team_id, lead=bool(lead),
        )
        for staff, team_id, lead in rows
    ]


@router.get("/teams/changes", dependencies=[Admin])
async def team_changes(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> list[TeamChangeOut]:
    """Who changed which team, its rules or members, when: newest first (admins)."""
    rows = await service.team_changes(session, limit, offset)
    ids = {row.staff_id for row in rows if row.staff_id is not None}
    names = (
        dict((await session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids)))).all())
        if ids
        else {}
    )
    return [
        TeamChangeOut(
            id=row.id, team_id=row.team_id, team_name=row.team_name, action=row.action,
            staff=StaffRef(id=row.staff_id, name=names.get(row.staff_id, "?"))
            if row.staff_id is not None
            else None,
            at=row.at, before=row.before, after=row.after,
        )
        for row in rows
    ]


@router.post("/teams", status_code=201, dependencies=[Admin])
async def create_team(
    body: TeamIn, session: SessionDep, runtime: RuntimeDep, staff: CurrentStaff
) -> TeamOut:
    """Create a team (admins only, audited); 409 when the name is taken."""
    team = await service.create_team(
        session,
        runtime,
        body.name.strip(),
        body.auto_assign,
        body.max_open_per_agent,
        body.away_release_minutes,
        staff.id,
        utc_now(),
    )
    return await _team_out(session, team)


@router.patch("/teams/{team_id}", dependencies=[Admin])
async def update_team(
    team_id: PathId, body: TeamPatch, session: SessionDep, runtime: RuntimeDep, staff: CurrentStaff
) -> TeamOut:
    """Change a team's name, auto-assignment, cap or away release time (admins only, audited)."""
    changes = body.model_dump(exclude_none=True)
    if "name" in changes:
        changes["name"] = changes["name"].strip()
    team = await service.update_team(session, runtime, team_id, changes, staff.id, utc_now())
    return await _team_out(session, team)


@router.put("/teams/{team_id}/members/{staff_id}", dependencies=[Admin])
async def put_member(
    team_id: PathId,
    staff_id: PathId,
    body: MemberIn,
    session: SessionDep,
    runtime: RuntimeDep,
    staff: CurrentStaff,
) -> TeamOut:
    """Put an agent or admin in this team, as lead or not, with the languages they answer in
    (admins only, audited)."""
    await service.set_member(
        session, runtime, team_id, staff_id, body.lead, body.languages, staff.id, utc_now()
    )
    return await _team_out(session, await service.get_team(session, team_id))


@router.delete("/teams/{team_id}/members/{staff_id}", status_code=204, dependencies=[Admin])
async def remove_member(
    team_id: PathId, staff_id: PathId, session: SessionDep, staff: CurrentStaff
) -> None:
    """Take a staff member out of this team (admins only, audited)."""
    await service.remove_member(session, team_id, staff_id, staff.id, utc_now())
