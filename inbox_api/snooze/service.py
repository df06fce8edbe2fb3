"""Snoozing and waking tickets (the rules are in policy.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.errors import Conflict, InboxError
from inbox_api.runtime import Runtime
from inbox_api.sla import service as sla
from inbox_api.snooze import policy
from inbox_api.snooze.schemas import SnoozeIn
from inbox_api.staff.models import Staff
from inbox_api.tickets import service as tickets
from inbox_api.tickets.models import Ticket


async def snooze(
    session: AsyncSession,
    runtime: Runtime,
    ticket_id: int,
    staff: Staff,
    body: SnoozeIn,
    now: datetime,
) -> policy.Snooze:
    """Snooze the ticket until a time or until the customer answers."""
    ticket = await tickets.lock_for_change(session, ticket_id, now)
    if ticket.status == "resolved":
        raise Conflict("This ticket is resolved; there is nothing to snooze.")
    current = (await sla.snapshot(session, runtime, ticket, now)).current
    try:
        granted = (
            policy.until_reply(current)
            if body.until_customer_replies
            else policy.until_time(body.until, current, now)  # type: ignore[arg-type]
        )
    except policy.SnoozeRefused as refused:
        raise InboxError(str(refused), status_code=409) from None
    ticket.snooze_mode, ticket.snoozed_until = granted.mode, granted.until
    await session.flush()
    if granted.mode == "reply" and ticket.status == "open":
        # Waiting on the customer: the resolution clock pauses, as for any such ticket.
        await tickets.change_status(session, runtime, ticket_id, staff, "waiting_on_customer", now)
    tickets.publish(session, runtime, {"type": "ticket.snoozed", "ticket_id": ticket_id})
    return granted


async def wake(
    session: AsyncSession, runtime: Runtime, ticket_id: int, now: datetime
) -> Ticket:
    """End a ticket's snooze now (the status stays as it is)."""
    ticket = await tickets.lock_for_change(session, ticket_id, now)
    if ticket.snooze_mode is None:
        raise Conflict("This ticket is not snoozed.")
    end_snooze(ticket)
    await session.flush()
    tickets.publish(session, runtime, {"type": "ticket.woken", "ticket_id": ticket_id})
    return ticket


def end_snooze(ticket: Ticket) -> None:
    """Forget the ticket's snooze (a customer message, resolving, or waking it by hand)."""
    ticket.snooze_mode = None
    ticket.snoozed_until = None
