"""Assignment API shapes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from inbox_api.schemas import Instant
from inbox_api.tickets.schemas import StaffRef

Presence = Literal["online", "away"]


class PresenceIn(BaseModel):
    """Online (ready for tickets) or away."""

    presence: Presence


class TeamIn(BaseModel):
    """A new team and its assignment rules."""

    name: str = Field(min_length=1, max_length=100, pattern=r"\S")
    auto_assign: bool = True
    max_open_per_agent: int = Field(5, ge=1, le=100)
    away_release_minutes: int = Field(15, ge=1, le=24 * 60)


class TeamPatch(BaseModel):
    """Changes to a team; absent fields stay as they are."""

    name: str | None = Field(None, min_length=1, max_length=100, pattern=r"\S")
    auto_assign: bool | None = None
    max_open_per_agent: int | None = Field(None, ge=1, le=100)
    away_release_minutes: int | None = Field(None, ge=1, le=24 * 60)


class MemberIn(BaseModel):
    """Whether the member leads the team, and the languages they answer in (absent: as is)."""

    lead: bool = False
    languages: list[Literal["nl", "en"]] | None = Field(None, max_length=2)


class MemberOut(BaseModel):
    """A team member with presence and load."""

    staff_id: int
    name: str
    languages: list[str]
    lead: bool
    presence: Presence
    presence_since: Instant
    open_tickets: int


class TeamOut(BaseModel):
    """A team, its rules and its members."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    auto_assign: bool
    max_open_per_agent: int
    away_release_minutes: int
    members: list[MemberOut] = Field(default_factory=list)


class AgentStateOut(BaseModel):
    """The signed-in staff member's presence, team and load."""

    staff_id: int
    presence: Presence
    presence_since: Instant
    team: TeamOut | None
    lead: bool
    open_tickets: int


class TeamStaffOut(BaseModel):
    """A colleague who can work tickets in a team: languages and current team."""

    id: int
    name: str
    email: str
    role: str
    languages: list[str]
    team_id: int | None
    lead: bool


class TeamChangeOut(BaseModel):
    """One audited change to a team."""

    id: int
    team_id: int
    team_name: str
    action: str
    # None: the demo seed.
    staff: StaffRef | None
    at: Instant
    before: dict[str, Any] | None
    after: dict[str, Any] | None
