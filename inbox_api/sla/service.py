"""Applying the SLA policy to stored tickets: deadlines, warning/breach events, timers."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.background import stop_task
from inbox_api.runtime import Runtime, after_commit, pop_after_commit, run_after_commit
from inbox_api.sla import repository
from inbox_api.sla.models import SlaEvent
from inbox_api.sla.policy import HistoryEvent, Metric, SlaSnapshot, TicketHistory, evaluate
from inbox_api.tickets.models import Ticket
from inbox_api.tickets.reply_window import WARN_BEFORE as WINDOW_WARN_BEFORE
from kit.clock import utc_now

log = logging.getLogger(__name__)
_GRACE = timedelta(milliseconds=200)
# Overdue checks run per reconcile pass; after a long outage the rest follow next pass.
_RECONCILE_BATCH = 5000


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
    return evaluate(history, now, runtime.calendar, runtime.targets_for(ticket.channel))


def snapshot_of_loaded(runtime: Runtime, ticket: Ticket, now: datetime) -> SlaSnapshot:
    """The SLA clocks of a ticket whose messages and status changes are already loaded."""
    events = [
        HistoryEvent(m.created_at, "customer" if m.role == "customer" else "agent")
        for m in ticket.messages
        if m.role in ("customer", "agent")
    ]
    events += [HistoryEvent(c.at, "status", c.to_status) for c in ticket.status_changes]
    history = TicketHistory(ticket.escalated_at, ticket.priority, events)
    return evaluate(history, now, runtime.calendar, runtime.targets_for(ticket.channel))


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
    window_event, window_check = _window_warning(ticket, now)
    checks = [at for at in (snap.next_check_at, window_check) if at is not None]
    ticket.sla_next_check_at = min(checks, default=None)
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
    ticket_id, next_check = ticket.id, ticket.sla_next_check_at

    # Two separate after-commit actions, timer first: a failed publish never costs the timer,
    # and a failed timer is put back by the reconcile loop from `sla_next_check_at`.
    async def plan() -> None:
        await runtime.scheduler.schedule(ticket_id, next_check)

    async def publish() -> None:
        for event in events:
            runtime.metrics.sla_events.labels(event.metric, event.kind).inc()
            await runtime.broadcaster.publish(event_payload(event))
        if window_event is not None:
            await runtime.broadcaster.publish(window_event)

    after_commit(session, plan)
    after_commit(session, publish)
    return snap, events


def _window_warning(
    ticket: Ticket, now: datetime
) -> tuple[dict[str, object] | None, datetime | None]:
    """The "2 hours left in Meta's window" event due now (once per window), and when to look next.

    The SLA timers carry this check too: `sla_next_check_at` is the earlier of the next SLA
    threshold and the window's warning time, so the same scheduler and reconcile fire it.
    """
    closes_at = ticket.reply_window_closes_at
    if closes_at is None or ticket.status == "resolved" or now >= closes_at:
        return None, None
    if ticket.window_warned_for == closes_at:
        return None, None
    warn_at = closes_at - WINDOW_WARN_BEFORE
    if now < warn_at:
        return None, warn_at
    ticket.window_warned_for = closes_at
    return (
        {
            "type": "window.warning",
            "ticket_id": ticket.id,
            "channel": ticket.channel,
            "closes_at": closes_at.isoformat(),
            "language": ticket.language,
            "priority": ticket.priority,
        },
        None,
    )


async def check_tickets(runtime: Runtime, ticket_ids: list[int], concurrency: int = 8) -> None:
    """Scheduler handler: re-read each ticket and record whatever thresholds it has crossed."""
    limit = asyncio.Semaphore(concurrency)

    async def check(ticket_id: int) -> None:
        async with limit:
            try:
                async with runtime.sessions() as session:
                    # Take the row first, so a reply committing meanwhile is in the history.
                    ticket = await repository.take_ticket(session, ticket_id)
                    if ticket is None:
                        return
                    await refresh(session, runtime, ticket, utc_now())
                    await session.commit()
            except Exception:
                log.exception("SLA check of ticket %s failed; retrying in 5 s", ticket_id)
                await _plan_quietly(runtime, ticket_id, utc_now() + timedelta(seconds=5))
                return
            await run_after_commit(pop_after_commit(session))

    await asyncio.gather(*(check(i) for i in ticket_ids))


async def _plan_quietly(runtime: Runtime, ticket_id: int, at: datetime) -> None:
    try:
        await runtime.scheduler.schedule(ticket_id, at)
    except Exception:
        log.warning("could not plan the SLA re-check of ticket %s; reconcile will", ticket_id)


async def rebuild_schedule(runtime: Runtime) -> int:
    """Plan every pending check from the database (start-up); returns how many."""
    async with runtime.sessions() as session:
        pending = await repository.pending_checks(session)
    await runtime.scheduler.schedule_many(pending)
    return len(pending)


async def reconcile(
    runtime: Runtime, now: datetime, horizon: timedelta
) -> tuple[int, datetime | None]:
    """Put every check due before `now + horizon` back into the scheduler, from the database.

    The database is the truth (`tickets.sla_next_check_at`); the scheduler may have lost a plan
    (Redis restarted empty, a crash between commit and scheduling). Plans only move earlier,
    so putting back what the scheduler already holds changes nothing. When the scheduler
    cannot take them (Redis down), the overdue checks run here, straight from the database.
    Returns how many checks ran here, and the earliest upcoming check the scheduler could not
    take (the caller wakes up for it itself).
    """
    async with runtime.sessions() as session:
        overdue = await repository.checks_due_before(session, now, _RECONCILE_BATCH)
        upcoming = await repository.checks_between(session, now, now + horizon)
    try:
        await runtime.scheduler.schedule_many([(i, now) for i in overdue] + upcoming)
        return 0, None
    except Exception:
        log.warning(
            "SLA scheduler unreachable: %s overdue checks run from the database", len(overdue)
        )
    if overdue:
        await check_tickets(runtime, overdue)
    return len(overdue), min((at for _, at in upcoming), default=None)


class Reconciler:
    """Runs `reconcile` every `interval` seconds (sooner while the scheduler is unreachable)."""

    def __init__(self, runtime: Runtime, interval: float) -> None:
        self._runtime = runtime
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the loop."""
        self._task = asyncio.create_task(self._loop(), name="sla-reconcile")

    async def stop(self) -> None:
        """Stop the loop."""
        if self._task is not None:
            await stop_task(self._task)
            self._task = None

    async def _loop(self) -> None:
        # Plans due within two intervals are put back, so one missed pass loses nothing.
        horizon = timedelta(seconds=2 * self._interval)
        # A small grace: checks the scheduler is firing right now are not doubled.
        grace = min(_GRACE, timedelta(seconds=self._interval / 10))
        wake_at = utc_now() + timedelta(seconds=self._interval)
        while True:
            await asyncio.sleep(max(0.0, (wake_at - utc_now()).total_seconds()))
            started = utc_now()
            wake_at = started + timedelta(seconds=self._interval)
            try:
                _, unplanned = await reconcile(self._runtime, started - grace, horizon)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("SLA reconcile pass failed; next pass in %s s", self._interval)
                continue
            if unplanned is not None:
                # The scheduler is away (Redis down): wake up for the next check ourselves.
                wake_at = min(wake_at, unplanned + grace)
