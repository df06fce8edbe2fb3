"""SLA attainment over a period, computed from ticket histories and stored breach events."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.conversations import service as conversations
from inbox_api.conversations.schemas import Bucket, Containment
from inbox_api.errors import InboxError
from inbox_api.runtime import Runtime
from inbox_api.schemas import Instant
from inbox_api.sla.models import SlaEvent
from inbox_api.sla.policy import METRICS, HistoryEvent, Metric, TicketHistory, evaluate
from inbox_api.tickets.models import Message, StatusChange, Ticket


class MetricAttainment(BaseModel):
    """How often one metric was met among clocks that have an outcome."""

    met: int
    missed: int
    attainment: float | None


class ChannelReport(BaseModel):
    """One channel's part of the report (its own SLA policy may differ: INBOX_CHANNEL_SLA)."""

    tickets: int
    metrics: dict[str, MetricAttainment]
    median_first_response_business_seconds: float | None
    breaches: int


class SlaReport(BaseModel):
    """The SLA report of a period."""

    since: Instant
    until: Instant
    tickets: int
    metrics: dict[str, MetricAttainment]
    median_first_response_business_seconds: float | None
    breaches_by_language: dict[str, int]
    breaches_by_priority: dict[str, int]
    # The same figures per channel (messenger, whatsapp, messenger_comment, socketio, ...).
    by_channel: dict[str, ChannelReport] = {}
    # Conversations that started in the period and never reached a human.
    containment: Containment


def _attainment(counts: Mapping[Metric, list[int]]) -> dict[str, MetricAttainment]:
    return {
        m: MetricAttainment(
            met=c[0], missed=c[1], attainment=round(c[0] / (c[0] + c[1]), 4) if sum(c) else None
        )
        for m, c in counts.items()
    }


def period(
    since: datetime | None, until: datetime | None, now: datetime, max_days: int
) -> tuple[datetime, datetime]:
    """A report's [since, until): the last 30 days by default; InboxError (422) for a bad one."""
    until = until or now
    try:
        since = since or until - timedelta(days=30)
    except OverflowError:
        raise InboxError("until is too early for a 30-day report; give since too.", 422) from None
    if since.tzinfo is None or until.tzinfo is None:
        raise InboxError("since and until need a UTC offset, e.g. 2026-11-01T00:00:00+01:00.", 422)
    if since >= until:
        raise InboxError("since must be before until.", 422)
    if until - since > timedelta(days=max_days):
        raise InboxError(
            f"The report covers at most {max_days} days; "
            "choose a shorter range between since and until.",
            422,
        )
    return since, until


async def build(
    session: AsyncSession, runtime: Runtime, since: datetime, until: datetime, now: datetime,
    bucket: Bucket = "day",
) -> SlaReport:
    """The report for tickets escalated in [since, until)."""
    tickets = list(
        (
            await session.execute(
                select(Ticket.id, Ticket.escalated_at, Ticket.priority, Ticket.channel).where(
                    Ticket.escalated_at >= since, Ticket.escalated_at < until
                )
            )
        ).all()
    )
    ids = [t[0] for t in tickets]
    events: dict[int, list[HistoryEvent]] = defaultdict(list)
    for chunk_start in range(0, len(ids), 5000):
        chunk = ids[chunk_start : chunk_start + 5000]
        for tid, role, at in await session.execute(
            select(Message.ticket_id, Message.role, Message.created_at).where(
                Message.ticket_id.in_(chunk), Message.role.in_(("customer", "agent"))
            )
        ):
            events[tid].append(HistoryEvent(at, "customer" if role == "customer" else "agent"))
        for tid, status, at in await session.execute(
            select(StatusChange.ticket_id, StatusChange.to_status, StatusChange.at).where(
                StatusChange.ticket_id.in_(chunk)
            )
        ):
            events[tid].append(HistoryEvent(at, "status", status))
    counts = {m: [0, 0] for m in METRICS}
    first_responses: list[float] = []
    channel_counts: dict[str, dict[Metric, list[int]]] = defaultdict(
        lambda: {m: [0, 0] for m in METRICS}
    )
    channel_firsts: dict[str, list[float]] = defaultdict(list)
    channel_tickets: dict[str, int] = defaultdict(int)
    for tid, escalated_at, priority, channel in tickets:
        channel_tickets[channel] += 1
        snap = evaluate(
            TicketHistory(escalated_at, priority, events[tid]),
            now,
            runtime.calendar,
            runtime.targets_for(channel),
        )
        for clock in snap.clocks:
            done = clock.done_at
            if done is None:
                continue
            due = runtime.calendar.add_business_time(clock.started_at, clock.budget)
            used = sum(
                (runtime.calendar.business_time_between(s, e or done) for s, e in clock.running),
                start=due - due,
            )
            outcome = 0 if used <= clock.budget else 1
            counts[clock.metric][outcome] += 1
            channel_counts[channel][clock.metric][outcome] += 1
            if clock.metric == "first_response":
                first_responses.append(used.total_seconds())
                channel_firsts[channel].append(used.total_seconds())
        for current in snap.current.values():
            if current is not None and current.state == "breached":
                counts[current.metric][1] += 1
                channel_counts[channel][current.metric][1] += 1
    breaches = select(func.count(SlaEvent.id)).where(
        SlaEvent.kind == "breach",
        SlaEvent.ticket_id.in_(
            select(Ticket.id).where(Ticket.escalated_at >= since, Ticket.escalated_at < until)
        ),
    )
    by_language = {
        k: int(v)
        for k, v in await session.execute(
            breaches.add_columns(SlaEvent.language)
            .group_by(SlaEvent.language)
            .with_only_columns(SlaEvent.language, func.count(SlaEvent.id))
        )
    }
    by_priority = {
        k: int(v)
        for k, v in await session.execute(
            breaches.group_by(SlaEvent.priority).with_only_columns(
                SlaEvent.priority, func.count(SlaEvent.id)
            )
        )
    }
    by_channel_breaches = {
        k: int(v)
        for k, v in await session.execute(
            select(Ticket.channel, func.count(SlaEvent.id))
            .join(SlaEvent, SlaEvent.ticket_id == Ticket.id)
            .where(
                SlaEvent.kind == "breach",
                Ticket.escalated_at >= since,
                Ticket.escalated_at < until,
            )
            .group_by(Ticket.channel)
        )
    }
    return SlaReport(
        since=since,
        until=until,
        tickets=len(tickets),
        metrics=_attainment(counts),
        median_first_response_business_seconds=statistics.median(first_responses)
        if first_responses
        else None,
        breaches_by_language=by_language,
        breaches_by_priority=by_priority,
        by_channel={
            channel: ChannelReport(
                tickets=count,
                metrics=_attainment(channel_counts[channel]),
                median_first_response_business_seconds=statistics.median(channel_firsts[channel])
                if channel_firsts[channel]
                else None,
                breaches=by_channel_breaches.get(channel, 0),
            )
            for channel, count in sorted(channel_tickets.items())
        },
        containment=await conversations.containment(
            session, since, until, bucket, runtime.calendar.timezone
        ),
    )
