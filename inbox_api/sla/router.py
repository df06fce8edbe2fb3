"""The SLA report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from inbox_api.conversations.schemas import Bucket
from inbox_api.deps import RuntimeDep, SessionDep, SettingsDep, require_roles
from inbox_api.sla import report
from inbox_api.sla.report import SlaReport
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1/sla", tags=["sla"])


@router.get("/report", dependencies=[require_roles("agent", "admin")])
async def sla_report(
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    since: Annotated[datetime | None, Query(description="escalated at or after (ISO 8601)")] = None,
    until: Annotated[datetime | None, Query(description="escalated before (ISO 8601)")] = None,
    bucket: Annotated[Bucket, Query(description="containment over time per day or week")] = "day",
) -> SlaReport:
    """Attainment per metric, median first response, breaches by language and priority, the
    same per channel, and containment.

    Containment: the share of conversations started in the period that never reached a
    human, by language, intent, channel and per day or week.
    """
    now = utc_now()
    since, until = report.period(since, until, now, settings.report_max_days)
    return await report.build(session, runtime, since, until, now, bucket)
