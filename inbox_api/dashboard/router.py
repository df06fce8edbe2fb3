"""The dashboard for admins and team leads: its numbers, its charts (SVG) and a CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from inbox_api.assignment.router import LeadOrAdmin
from inbox_api.dashboard import charts, service
from inbox_api.dashboard.service import Dashboard
from inbox_api.deps import RuntimeDep, SessionDep
from inbox_api.schemas import Instant
from inbox_api.sla.report import period
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1/dashboard", tags=["dashboard"])
# A dashboard of more days than this draws unreadable charts; the SLA report goes further.
MAX_DAYS = 92
Since = Annotated[datetime | None, Query(description="escalated at or after (ISO 8601)")]
Until = Annotated[datetime | None, Query(description="escalated before (ISO 8601)")]
Language = Literal["nl", "en"]

TITLES: dict[str, dict[str, str]] = {
    "sla": {"nl": "SLA gehaald per dag", "en": "SLA attainment per day"},
    "first_response": {
        "nl": "Eerste reactie (kantooruren)",
        "en": "First response time (business hours)",
    },
    "by_language": {"nl": "Tickets per taal", "en": "Tickets by language"},
    "by_channel": {"nl": "Tickets per kanaal", "en": "Tickets by channel"},
    "by_reason": {"nl": "Tickets per reden", "en": "Tickets by reason"},
    "containment": {
        "nl": "Zonder mens opgelost (deel van de gesprekken)",
        "en": "Resolved without a human (share of conversations)",
    },
    "csat": {"nl": "Klanttevredenheid per dag", "en": "Customer satisfaction per day"},
    "agents": {"nl": "Belasting per medewerker", "en": "Load per agent"},
}
SERIES: dict[str, dict[str, str]] = {
    "first_response": {"nl": "Eerste reactie", "en": "First response"},
    "next_response": {"nl": "Volgende reactie", "en": "Next response"},
    "resolution": {"nl": "Oplossing", "en": "Resolution"},
    "tickets": {"nl": "Tickets", "en": "Tickets"},
    "contained": {"nl": "Zonder mens", "en": "Without a human"},
    "satisfied": {"nl": "Tevreden (4-5)", "en": "Satisfied (4-5)"},
    "open": {"nl": "Open nu", "en": "Open now"},
    "resolved": {"nl": "Opgelost in periode", "en": "Resolved in period"},
    "cap": {"nl": "Maximum", "en": "Cap"},
}


class AgentLoadOut(BaseModel):
    """One agent's presence and work."""

    staff_id: int
    name: str
    presence: str
    team: str | None
    open_tickets: int
    resolved: int
    cap: int | None


class DashboardOut(BaseModel):
    """Every series of the dashboard, and its charts as SVG."""

    since: Instant
    until: Instant
    days: list[str]
    sla: dict[str, list[float | None]]
    first_response: dict[str, int]
    by_language: dict[str, int]
    by_channel: dict[str, int]
    by_reason: dict[str, int]
    containment: list[float | None]
    csat_answers: list[int]
    csat_average: list[float | None]
    csat_satisfied: list[float | None]
    agents: list[AgentLoadOut]
    charts: dict[str, str]


def draw(data: Dashboard, lang: Language) -> dict[str, str]:
    """Every chart of the dashboard as SVG text, titled in `lang`."""
    days = [d.strftime("%d-%m") for d in data.days]

    def series(key: str) -> str:
        return SERIES[key][lang]

    def counts(key: str, values: dict[str, int]) -> str:
        return charts.bar_chart(
            TITLES[key][lang], list(values), {series("tickets"): list(values.values())}
        )

    return {
        "sla": charts.line_chart(
            TITLES["sla"][lang],
            days,
            {series(metric): values for metric, values in data.sla.items()},
            y_max=1.0,
            fmt=charts.percent,
        ),
        "first_response": charts.bar_chart(
            TITLES["first_response"][lang],
            list(data.first_response),
            {series("tickets"): list(data.first_response.values())},
        ),
        "by_language": counts("by_language", data.by_language),
        "by_channel": counts("by_channel", data.by_channel),
        "by_reason": counts("by_reason", data.by_reason),
        "containment": charts.line_chart(
            TITLES["containment"][lang],
            days,
            {series("contained"): data.containment},
            y_max=1.0,
            fmt=charts.percent,
        ),
        "csat": charts.line_chart(
            TITLES["csat"][lang],
            days,
            {series("satisfied"): data.csat_satisfied},
            y_max=1.0,
            fmt=charts.percent,
        ),
        "agents": charts.bar_chart(
            TITLES["agents"][lang],
            [a.name for a in data.agents],
            {
                series("open"): [a.open_tickets for a in data.agents],
                series("resolved"): [a.resolved for a in data.agents],
            },
        ),
    }


async def _build(
    session: SessionDep, runtime: RuntimeDep, since: datetime | None, until: datetime | None
) -> tuple[datetime, datetime, Dashboard]:
    now = utc_now()
    since, until = period(since, until, now, MAX_DAYS)
    return since, until, await service.build(session, runtime, since, until, now)


@router.get("")
async def dashboard(
    _: LeadOrAdmin,
    session: SessionDep,
    runtime: RuntimeDep,
    since: Since = None,
    until: Until = None,
    lang: Language = "nl",
) -> DashboardOut:
    """SLA attainment, response times, ticket mix, containment, satisfaction and agent load."""
    since, until, data = await _build(session, runtime, since, until)
    return DashboardOut(
        since=since,
        until=until,
        days=[d.isoformat() for d in data.days],
        sla=data.sla,
        first_response=data.first_response,
        by_language=data.by_language,
        by_channel=data.by_channel,
        by_reason=data.by_reason,
        containment=data.containment,
        csat_answers=data.csat_answers,
        csat_average=data.csat_average,
        csat_satisfied=data.csat_satisfied,
        agents=[AgentLoadOut(**vars(a)) for a in data.agents],
        charts=draw(data, lang),
    )


def csv_rows(data: Dashboard) -> Iterator[tuple[str, str, str, object]]:
    """(section, series, label, value) for every number on the dashboard."""
    for metric, values in data.sla.items():
        for day, value in zip(data.days, values, strict=True):
            yield "sla_attainment", metric, day.isoformat(), value
    for label, count in data.first_response.items():
        yield "first_response", "tickets", label, count
    mix: tuple[tuple[str, dict[str, int]], ...] = (
        ("tickets_by_language", data.by_language),
        ("tickets_by_channel", data.by_channel),
        ("tickets_by_reason", data.by_reason),
    )
    for section, counts in mix:
        for label, count in counts.items():
            yield section, "tickets", label, count
    for i, day in enumerate(data.days):
        yield "containment", "conversations_without_human", day.isoformat(), data.containment[i]
        yield "csat", "answers", day.isoformat(), data.csat_answers[i]
        yield "csat", "average_1_to_5", day.isoformat(), data.csat_average[i]
        yield "csat", "satisfied_share", day.isoformat(), data.csat_satisfied[i]
    for agent in data.agents:
        yield "agent_load", "open_now", agent.name, agent.open_tickets
        yield "agent_load", "resolved", agent.name, agent.resolved


def _cell(value: object) -> object:
    # A name starting with = + - @ would be a formula in a spreadsheet: keep it text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


@router.get(
    "/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "Every number, one per row"}},
)
async def export_csv(
    _: LeadOrAdmin,
    session: SessionDep,
    runtime: RuntimeDep,
    since: Since = None,
    until: Until = None,
) -> Response:
    """The dashboard's numbers as CSV: section, series, label, value."""
    since, until, data = await _build(session, runtime, since, until)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "series", "label", "value"])
    for row in csv_rows(data):
        writer.writerow([_cell(v) for v in row])
    name = f"dashboard-{since.date().isoformat()}-{until.date().isoformat()}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
