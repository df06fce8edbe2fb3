"""Recording conversation reports, and containment: conversations that never reached a human."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.conversations import repository
from inbox_api.conversations.models import BotConversation
from inbox_api.conversations.schemas import (
    Bucket,
    Containment,
    ContainmentPoint,
    ContainmentShare,
    ConversationReportIn,
)


async def record(session: AsyncSession, report: ConversationReportIn) -> BotConversation:
    """Store where the conversation stands (idempotent; reports may arrive twice or late)."""
    return await repository.upsert(session, report)


def _share(outcomes: Iterable[bool]) -> ContainmentShare:
    """Outcomes are "reached a human" flags."""
    values = list(outcomes)
    contained = sum(not reached for reached in values)
    return ContainmentShare(
        conversations=len(values),
        contained=contained,
        containment=round(contained / len(values), 4) if values else None,
    )


def period_start(instant: datetime, bucket: Bucket, timezone: ZoneInfo) -> date:
    """The business-calendar day, or the Monday of its week, an instant falls in."""
    day = instant.astimezone(timezone).date()
    return day - timedelta(days=day.weekday()) if bucket == "week" else day


async def containment(
    session: AsyncSession, since: datetime, until: datetime, bucket: Bucket, timezone: ZoneInfo
) -> Containment:
    """Containment of the conversations that started in [since, until).

    A conversation is contained when no ticket was ever opened for it (same channel and
    conversation id): the assistant answered it without a human.
    """
    rows = await repository.started_between(session, since, until)
    groups: dict[str, dict[str, list[bool]]] = {
        "language": defaultdict(list), "intent": defaultdict(list), "channel": defaultdict(list),
    }
    periods: dict[date, list[bool]] = defaultdict(list)
    every: list[bool] = []
    for language, intent, channel, started_at, reached_human in rows:
        reached = bool(reached_human)
        every.append(reached)
        groups["language"][language].append(reached)
        groups["intent"][intent].append(reached)
        groups["channel"][channel].append(reached)
        periods[period_start(started_at, bucket, timezone)].append(reached)
    # Every period of the range, empty ones too, so a chart shows the gaps as gaps.
    points: list[ContainmentPoint] = []
    current = period_start(since, bucket, timezone)
    last = period_start(until - timedelta(microseconds=1), bucket, timezone)
    step = timedelta(days=7 if bucket == "week" else 1)
    while current <= last:
        share = _share(periods[current])
        points.append(ContainmentPoint(period_start=current, **share.model_dump()))
        current += step
    return Containment(
        bucket=bucket,
        overall=_share(every),
        by_language={k: _share(v) for k, v in sorted(groups["language"].items())},
        by_intent={k: _share(v) for k, v in sorted(groups["intent"].items())},
        by_channel={k: _share(v) for k, v in sorted(groups["channel"].items())},
        over_time=points,
    )
