"""The numbers behind the dashboard, per business day of a period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.assignment import repository as assignment
from inbox_api.assignment.models import AgentState, Team
from inbox_api.csat.models import CsatSurvey
from inbox_api.runtime import Runtime
from inbox_api.sla import report
from inbox_api.sla.policy import METRICS
from inbox_api.staff.models import Staff
from inbox_api.tickets.models import Message, Ticket

# First response in business time: the histogram's upper bounds (minutes) and labels.
FIRST_RESPONSE_BOUNDS = (15, 30, 60, 120, 240, 480)
FIRST_RESPONSE_LABELS = ("≤15m", "≤30m", "≤1h", "≤2h", "≤4h", "≤8h", ">8h", "–")
SATISFIED_FROM = 4


@dataclass
class AgentLoad:
    """One agent's presence and work."""

    staff_id: int
    name: str
    presence: str
    team: str | None
    open_tickets: int
    resolved: int
    cap: int | None


@dataclass
class Dashboard:
    """Every series of the dashboard for the days of a period (business calendar)."""

    days: list[date]
    sla: dict[str, list[float | None]]
    first_response: dict[str, int]
    by_language: dict[str, int]
    by_channel: dict[str, int]
    by_reason: dict[str, int]
    # Share of the day's conversations that never reached a colleague (the SLA report's).
    containment: list[float | None]
    csat_answers: list[int]
    csat_average: list[float | None]
    csat_satisfied: list[float | None]
    agents: list[AgentLoad] = field(default_factory=list)


def business_days(runtime: Runtime, since: datetime, until: datetime) -> list[date]:
    """The calendar days (business timezone) that [since, until) touches."""
    zone = runtime.calendar.timezone
    first = since.astimezone(zone).date()
    last = (until - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _day_bounds(runtime: Runtime, day: date) -> tuple[datetime, datetime]:
    zone = runtime.calendar.timezone
    start = datetime.combine(day, time(0), zone)
    return start, datetime.combine(day + timedelta(days=1), time(0), zone)


def _day_of(runtime: Runtime, instant: datetime) -> date:
    return instant.astimezone(runtime.calendar.timezone).date()


def first_response_bucket(minutes: float | None) -> str:
    """The histogram bar a first response of `minutes` business minutes falls in."""
    if minutes is None:
        return FIRST_RESPONSE_LABELS[-1]
    for bound, label in zip(FIRST_RESPONSE_BOUNDS, FIRST_RESPONSE_LABELS, strict=False):
        if minutes <= bound:
            return label
    return FIRST_RESPONSE_LABELS[-2]


async def _grouped(
    session: AsyncSession, column: object, since: datetime, until: datetime
) -> dict[str, int]:
    rows = await session.execute(
        select(column, func.count(Ticket.id))  # type: ignore[call-overload]
        .where(Ticket.escalated_at >= since, Ticket.escalated_at < until)
        .group_by(column)
    )
    return {str(k): int(v) for k, v in sorted(rows, key=lambda r: (-int(r[1]), str(r[0])))}


async def build(
    session: AsyncSession, runtime: Runtime, since: datetime, until: datetime, now: datetime
) -> Dashboard:
    """The dashboard for tickets escalated (and surveys answered) in [since, until)."""
    days = business_days(runtime, since, until)
    index = {day: i for i, day in enumerate(days)}
    sla: dict[str, list[float | None]] = {metric: [] for metric in METRICS}
    containment: list[float | None] = []
    for day in days:
        start, end = _day_bounds(runtime, day)
        daily = await report.build(session, runtime, max(start, since), min(end, until), now)
        for metric in METRICS:
            sla[metric].append(daily.metrics[metric].attainment)
        # The SLA report's own containment (conversations.service), never a second count.
        containment.append(daily.containment.overall.containment)

    tickets = list(
        await session.execute(
            select(Ticket.id, Ticket.escalated_at).where(
                Ticket.escalated_at >= since, Ticket.escalated_at < until
            )
        )
    )
    ids = [t[0] for t in tickets]
    first_reply: dict[int, datetime] = {}
    for chunk in range(0, len(ids), 5000):
        part = ids[chunk : chunk + 5000]
        for tid, at in await session.execute(
            select(Message.ticket_id, func.min(Message.created_at))
            .where(Message.ticket_id.in_(part), Message.role == "agent")
            .group_by(Message.ticket_id)
        ):
            first_reply[tid] = at
    histogram: Counter[str] = Counter()
    for tid, escalated_at in tickets:
        reply_at = first_reply.get(tid)
        minutes = (
            runtime.calendar.business_time_between(escalated_at, reply_at).total_seconds() / 60
            if reply_at is not None
            else None
        )
        histogram[first_response_bucket(minutes)] += 1

    answers = [0] * len(days)
    totals = [0] * len(days)
    satisfied = [0] * len(days)
    for rating, answered_at in await session.execute(
        select(CsatSurvey.rating, CsatSurvey.answered_at).where(
            CsatSurvey.answered_at >= since, CsatSurvey.answered_at < until
        )
    ):
        if rating is None or answered_at is None:
            continue
        if (i := index.get(_day_of(runtime, answered_at))) is None:
            continue
        answers[i] += 1
        totals[i] += rating
        satisfied[i] += rating >= SATISFIED_FROM

    return Dashboard(
        days=days,
        sla=sla,
        first_response={label: histogram[label] for label in FIRST_RESPONSE_LABELS},
        by_language=await _grouped(session, Ticket.language, since, until),
        by_channel=await _grouped(session, Ticket.channel, since, until),
        by_reason=await _grouped(session, Ticket.reason, since, until),
        containment=containment,
        csat_answers=answers,
        csat_average=[round(t / n, 2) if n else None for t, n in zip(totals, answers, strict=True)],
        csat_satisfied=[
            round(s / n, 4) if n else None for s, n in zip(satisfied, answers, strict=True)
        ],
        agents=await agent_load(session, since, until),
    )


async def agent_load(session: AsyncSession, since: datetime, until: datetime) -> list[AgentLoad]:
    """Every agent and admin: presence, team, open tickets now, tickets resolved in the period."""
    resolved_in_period = (
        select(func.count(Ticket.id))
        .where(
            Ticket.assignee_id == Staff.id,
            Ticket.status == "resolved",
            Ticket.resolved_at >= since,
            Ticket.resolved_at < until,
        )
        .correlate(Staff)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            Staff.id,
            Staff.name,
            AgentState.presence,
            Team.name,
            assignment.open_count_of(Staff.id),
            resolved_in_period,
            Team.max_open_per_agent,
        )
        .outerjoin(AgentState, AgentState.staff_id == Staff.id)
        .outerjoin(Team, Team.id == AgentState.team_id)
        .where(Staff.active.is_(True), Staff.role.in_(assignment.TICKET_ROLES))
        .order_by(Staff.name, Staff.id)
    )
    return [
        AgentLoad(
            staff_id=r[0],
            name=r[1],
            presence=r[2] or "away",
            team=r[3],
            open_tickets=int(r[4]),
            resolved=int(r[5]),
            cap=r[6],
        )
        for r in rows
    ]
