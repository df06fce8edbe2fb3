"""Teams and each agent's presence, team and place in the round robin."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from inbox_api.db import Base
from kit.clock import utc_now
from kit.orm import UtcDateTime

PRESENCES = ("online", "away")


class Team(Base):
    """A group of agents with its own assignment rules."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Off: the team's agents pick tickets from the queue themselves.
    auto_assign: Mapped[bool] = mapped_column(default=True)
    # Unresolved tickets an agent of this team holds at most before auto-assignment skips them.
    max_open_per_agent: Mapped[int] = mapped_column(default=5)
    # An away agent's unanswered tickets go back to the pool after this many minutes.
    away_release_minutes: Mapped[int] = mapped_column(default=15)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class AgentState(Base):
    """One staff member's team, presence and last automatic assignment (the round robin)."""

    __tablename__ = "agent_states"

    staff_id: Mapped[int] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), default=None, index=True
    )
    # Team leads see the dashboard and the follow-ups of bad ratings.
    is_lead: Mapped[bool] = mapped_column(default=False)
    presence: Mapped[str] = mapped_column(String(10), default="away")
    presence_since: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # The next ticket goes to whoever waited longest for one (None: never had one).
    last_assigned_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class TeamChange(Base):
    """One change to a team, its rules or its members: who, when, before and after."""

    __tablename__ = "team_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the trail outlives a renamed or deleted team.
    team_id: Mapped[int] = mapped_column(index=True)
    team_name: Mapped[str] = mapped_column(String(100))
    # created, updated, member_added, member_changed, member_removed
    action: Mapped[str] = mapped_column(String(20))
    # None: the demo seed (`python -m inbox_api demo-team`), not a person.
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
