"""Applying the SLA policy to stored tickets: deadlines, warning/breach events, timers."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.runtime import Runtime, after_commit, pop_after_commit
from inbox_api.sla import repository
from inbox_api.sla.models import SlaEvent
from inbox_api.sla.policy import HistoryEvent, Metric, SlaSnapshot, TicketHistory, evaluate
from inbox_api.tickets.models import Ticket
from kit.clock import utc_now
from kit.database import is_postgres

log = logging.getLogger(__name__)


async def load_history(session: AsyncSession, ticket: Ticket) -> TicketHistory:
    """The ticket's history in the form the pure policy takes."""
    messages, changes = await repository.history_rows(session, ticket.id)
    events = [
        HistoryEvent(at, "customer" if role == "customer" else "agent") for role, at in messages
    ]
    events += [HistoryEvent(at, "status", status) for status, at in changes]
    return TicketHistory(ticket.escalated_at, ticket.priority, events)


async def snapshot(
    session: AsyncSession, runtime: Runtime, ticket: Ticket, now: datetime
) -> SlaSnapshot:
    """The SLA clocks of a ticket at `now`."""
    history = await load_history(session, ticket)
    return evaluate(history, now, runtime.calendar, runtime.targets)


def event_payload(event: SlaEvent) -> dict[str, object]:
    """The live/pub-sub form of an SLA event."""
    return {
        "type": f"sla.{event.kind}",
        "ticket_id": event.ticket_id,
        "metric": event.metric,
        "cycle": event.cycle,
        "due_at": event.due_at.isoformat(),
        "language": event.language,
        "priority": event.priority,
    }


async def refresh(
    session: AsyncSession, runtime: Runtime, ticket: Ticket, now: datetime
) -> tuple[SlaSnapshot, list[SlaEvent]]:
    """Recompute and store the ticket's deadlines, record crossed thresholds, plan the next check.

    Safe to run any number of times: each threshold is stored once per (ticket, metric, cycle).
    """
    snap = await snapshot(session, runtime, ticket, now)

    def due(metric: Metric) -> datetime | None:
        status = snap.current.get(metric)
        return (
            status.due_at
            if status is not None and status.state in ("running", "warning", "breached")
            else None
        )

    ticket.first_response_due_at = due("first_response")
    ticket.next_response_due_at = due("next_response")
    ticket.resolution_due_at = due("resolution")
    ticket.sla_due_at = snap.nearest_due_at
    ticket.sla_next_check_at = snap.next_check_at
    rows = [
        {
            "ticket_id": ticket.id,
            "metric": t.metric,
            "cycle": t.cycle,
            "kind": t.kind,
            "due_at": t.at,
            "emitted_at": now,
            "language": ticket.language,
            "priority": ticket.priority,
        }
        for t in snap.crossed
    ]
    await session.flush()
    events = await repository.insert_new_events(session, rows)
    ticket_id, next_check = ticket.id, snap.next_check_at

    async def publish() -> None:
        for event in events:
            runtime.metrics.sla_events.labels(event.metric, event.kind).inc()
            await runtime.broadcaster.publish(event_payload(event))
        await runtime.scheduler.schedule(ticket_id, next_check)

    after_commit(session, publish)
    return snap, events


async def check_tickets(runtime: Runtime, ticket_ids: list[int], concurrency: int = 8) -> None:
    """Scheduler handler: re-read each ticket and record whatever thresholds it has crossed."""
    limit = asyncio.Semaphore(concurrency)

    async def check(ticket_id: int) -> None:
        async with limit:
            try:
                async with runtime.sessions() as session:
                    ticket = await session.get(
                        Ticket, ticket_id, with_for_update=is_postgres(session)
                    )
                    if ticket is None:
                        return
                    await refresh(session, runtime, ticket, utc_now())
                    await session.commit()
                    for action in pop_after_commit(session):
                        await action()
            except Exception:
                log.exception("SLA check of ticket %s failed; retrying in 5 s", ticket_id)
                await runtime.scheduler.schedule(ticket_id, utc_now() + timedelta(seconds=5))

    await asyncio.gather(*(check(i) for i in ticket_ids))


async def rebuild_schedule(runtime: Runtime) -> int:
    """Plan every pending check from the database (start-up); returns how many."""
    async with runtime.sessions() as session:
        pending = await repository.pending_checks(session)
    await runtime.scheduler.schedule_many(pending)
    return len(pending)
