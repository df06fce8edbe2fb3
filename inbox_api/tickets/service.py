"""The rules of tickets: escalation, claiming, replies, notes and status changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.assignment.service import wake_after_commit as wake_assignment
from inbox_api.delivery import service as delivery
from inbox_api.errors import Conflict, Forbidden, NotFound
from inbox_api.notifications.service import notify_mentions
from inbox_api.runtime import Runtime, after_commit
from inbox_api.saved_replies.templates import refuse_unfinished
from inbox_api.sla import service as sla
from inbox_api.staff import service as staff_service
from inbox_api.staff.models import Staff
from inbox_api.tickets import reply_window, repository
from inbox_api.tickets.channels import PUBLIC_TAG, is_public_channel
from inbox_api.tickets.models import Message, StatusChange, Ticket
from inbox_api.tickets.schemas import EscalationIn

# Which status may follow which; anything else is refused with a 409.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("waiting_on_customer", "resolved"),
    "waiting_on_customer": ("open", "resolved"),
    "resolved": ("open",),
}
STATUS_WORDS = {
    "open": "open",
    "waiting_on_customer": "waiting on the customer",
    "resolved": "resolved",
}


def _publish(session: AsyncSession, runtime: Runtime, event: dict[str, Any]) -> None:
    async def send() -> None:
        await runtime.broadcaster.publish(event)

    after_commit(session, send)


def _set_status(ticket: Ticket, new: str, by: Staff | None, now: datetime) -> StatusChange:
    change = StatusChange(
        ticket_id=ticket.id,
        from_status=ticket.status,
        to_status=new,
        changed_by_id=by.id if by else None,
        at=now,
    )
    ticket.status = new
    ticket.resolved_at = now if new == "resolved" else None
    return change


def _customer_context(ticket: Ticket, body: EscalationIn, now: datetime) -> None:
    """The customer's name, Meta's reply window and the comment's post, from an escalation."""
    if body.customer_name:
        ticket.customer_name = body.customer_name
    if ticket.channel in reply_window.WINDOW_CHANNELS:
        # The window runs from the customer's latest message, which arrives just now.
        ticket.reply_window_closes_at = now + reply_window.STANDARD
    if body.post is not None and "post" not in ticket.packet:
        ticket.packet = {**ticket.packet, "post": body.post.model_dump(mode="json")}


async def _open_ticket(session: AsyncSession, body: EscalationIn, now: datetime) -> Ticket | None:
    """Insert a new ticket; None when another escalation opened one for this conversation first."""
    ticket = Ticket(
        channel=body.channel,
        conversation_id=body.conversation_id,
        language=body.language,
        reason=body.reason,
        status="open",
        priority=(
            "high" if body.reason == "complaint" or is_public_channel(body.channel) else "normal"
        ),
        tags=[PUBLIC_TAG] if is_public_channel(body.channel) else [],
        packet={
            "reason": body.reason,
            "language": body.language,
            "transcript": [line.model_dump(mode="json") for line in body.transcript],
            "intents": [i.model_dump(mode="json") for i in body.intents],
            "entities": [e.model_dump(mode="json") for e in body.entities],
            "attempted": list(body.attempted),
        },
        escalated_at=now,
        updated_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(ticket)
            await session.flush()
    except IntegrityError:
        return None
    return ticket


async def _ticket_for_escalation(
    session: AsyncSession, body: EscalationIn, now: datetime
) -> tuple[Ticket, bool]:
    """The conversation's open ticket (taken for this transaction), or a new one; True if new."""
    for _ in range(3):
        ticket = await repository.find_open_for_conversation(
            session, body.channel, body.conversation_id
        )
        if ticket is None:
            ticket = await _open_ticket(session, body, now)
            if ticket is not None:
                return ticket, True
            continue  # another escalation of this conversation opened it first: append
        # Compare-and-set: only a still-unresolved ticket takes the message; one resolved
        # in the meantime sends us round again, to open a new ticket.
        if await repository.touch_if_open(session, ticket.id, now):
            await session.refresh(ticket)
            return ticket, False
    raise Conflict("This conversation's ticket changed meanwhile; send it again.")


async def escalate(
    session: AsyncSession, runtime: Runtime, body: EscalationIn, now: datetime
) -> tuple[Ticket, bool]:
    """Open a ticket for the conversation, or append the message to its open ticket."""
    ticket, created = await _ticket_for_escalation(session, body, now)
    _customer_context(ticket, body, now)
    if not created:
        # The customer answered: every snooze ends (inbox_api/snooze/policy.py).
        ticket.snooze_mode, ticket.snoozed_until = None, None
        if ticket.status == "waiting_on_customer":
            session.add(_set_status(ticket, "open", None, now))
        if body.reason == "complaint" and ticket.priority in ("normal", "low"):
            ticket.priority = "high"
    message = Message(
        ticket_id=ticket.id, role="customer", text=body.customer_message, created_at=now
    )
    session.add(message)
    await session.flush()
    await sla.refresh(session, runtime, ticket, now)
    runtime.metrics.escalations.labels("created" if created else "appended", ticket.language).inc()
    wake_assignment(session, runtime)
    _publish(
        session,
        runtime,
        {
            "type": "ticket.created" if created else "ticket.message",
            "ticket_id": ticket.id,
            "language": ticket.language,
            "priority": ticket.priority,
            "role": "customer",
        },
    )
    return ticket, created


async def get_ticket(session: AsyncSession, ticket_id: int) -> Ticket:
    """A ticket with its messages, or NotFound."""
    ticket = await repository.get_detail(session, ticket_id)
    if ticket is None:
        raise NotFound(f"There is no ticket {ticket_id}.")
    return ticket


async def _for_change(session: AsyncSession, ticket_id: int, now: datetime) -> Ticket:
    """The ticket, read after this transaction's first write to it.

    Writing first (`updated_at`) makes concurrent changes queue up on both databases: a row
    lock on PostgreSQL, the write lock on SQLite. The rules below then see the latest state.
    """
    ticket = await repository.touch(session, ticket_id, now)
    if ticket is None:
        raise NotFound(f"There is no ticket {ticket_id}.")
    return ticket


async def queue_filter_for(
    session: AsyncSession, runtime: Runtime, staff: Staff, now: datetime
) -> tuple[list[str], datetime | None]:
    """Languages this agent does not speak whose new tickets are still offered to others first."""
    if staff.role != "agent":
        return [], None
    hidden = []
    for language in ("nl", "en"):
        if language not in (staff.languages or []) and await staff_service.speakers_of(
            session, language
        ):
            hidden.append(language)
    window = timedelta(minutes=runtime.settings.language_offer_minutes)
    return hidden, now - window


async def claim(
    session: AsyncSession, runtime: Runtime, ticket_id: int, staff: Staff, now: datetime
) -> Ticket:
    """Make `staff` the ticket's assignee; of two agents racing for it exactly one wins."""
    ticket = await get_ticket_row(session, ticket_id)
    _claimable(ticket, staff)
    offered_until = ticket.escalated_at + timedelta(minutes=runtime.settings.language_offer_minutes)
    if (
        staff.role == "agent"
        and ticket.language not in (staff.languages or [])
        and now < offered_until
        and await staff_service.speakers_of(session, ticket.language)
    ):
        raise Forbidden(
            f"This {ticket.language.upper()} ticket is offered to colleagues who speak it until "
            f"{offered_until.astimezone(runtime.calendar.timezone):%H:%M}."
        )
    # Compare-and-set: the update only applies while the ticket is still free (or ours), so
    # the loser of a race sees 0 rows on SQLite and PostgreSQL alike.
    if not await repository.claim_if_free(session, ticket_id, staff.id, staff.role == "admin", now):
        _claimable(await repository.reread(session, ticket_id), staff)
        raise Conflict("This ticket changed meanwhile; reload it and try again.")
    await session.refresh(ticket)
    _publish(
        session,
        runtime,
        {"type": "ticket.claimed", "ticket_id": ticket.id, "assignee_id": staff.id},
    )
    return ticket


async def get_ticket_row(session: AsyncSession, ticket_id: int) -> Ticket:
    """The ticket row alone, or NotFound."""
    ticket = await session.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(f"There is no ticket {ticket_id}.")
    return ticket


def _claimable(ticket: Ticket | None, staff: Staff) -> None:
    if ticket is None:
        raise NotFound("This ticket no longer exists.")
    if ticket.status == "resolved":
        raise Conflict("This ticket is resolved; reopen it before claiming it.")
    if ticket.assignee_id is not None and ticket.assignee_id != staff.id and staff.role != "admin":
        raise Conflict("Another colleague already claimed this ticket.")


def window_of(ticket: Ticket, now: datetime) -> reply_window.ReplyWindow | None:
    """Meta's reply window of a ticket at `now` (None on channels without one)."""
    closes_at = ticket.reply_window_closes_at
    last = closes_at - reply_window.STANDARD if closes_at is not None else None
    return reply_window.reply_window(ticket.channel, last, now)


async def reply(
    session: AsyncSession,
    runtime: Runtime,
    ticket_id: int,
    staff: Staff,
    text: str,
    now: datetime,
    mode: str = "text",
    language: str = "en",
) -> Message:
    """Write an agent's public reply and its delivery job in the same transaction.

    Meta's window decides what may go (the connectors enforce it again): a text within 24
    hours, with the HUMAN_AGENT tag up to 7 days on Messenger and Instagram, and on WhatsApp
    past 24 hours only the approved template. A refusal says why in `language` (nl or en).
    """
    refuse_unfinished(text)
    ticket = await _for_change(session, ticket_id, now)
    if ticket.status == "resolved":
        raise Conflict("This ticket is resolved; reopen it before replying.")
    window = window_of(ticket, now)
    refused = reply_window.reply_refusal(window, mode)
    if refused is not None:
        zone = runtime.calendar.timezone
        raise Conflict(
            reply_window.refusal(
                refused,
                language,
                closes=f"{window.closes_at.astimezone(zone):%d-%m %H:%M}" if window else "",
                until=f"{window.human_agent_until.astimezone(zone):%d-%m %H:%M}"
                if window and window.human_agent_until
                else "",
            )
        )
    sent_as = None
    if mode == "template":
        sent_as = "template"
        text = reply_window.TEMPLATE_TEXT.get(ticket.language, reply_window.TEMPLATE_TEXT["en"])
    elif window is not None and window.state == "human_agent":
        sent_as = "human_agent"
    message = Message(
        ticket_id=ticket.id,
        role="agent",
        text=text,
        author_id=staff.id,
        created_at=now,
        delivery_state="pending",
        sent_as=sent_as,
    )
    session.add(message)
    if ticket.assignee_id is None:
        ticket.assignee_id = staff.id
    ticket.updated_at = now
    await session.flush()
    delivery.enqueue_agent_message(session, runtime, ticket, message)
    await sla.refresh(session, runtime, ticket, now)
    runtime.metrics.replies.inc()
    _publish(session, runtime, {"type": "ticket.message", "ticket_id": ticket.id, "role": "agent"})
    return message


async def note(
    session: AsyncSession, runtime: Runtime, ticket_id: int, staff: Staff, text: str, now: datetime
) -> Message:
    """Add an internal note (never shown to the customer, never stops an SLA clock)."""
    ticket = await _for_change(session, ticket_id, now)
    message = Message(
        ticket_id=ticket.id, role="note", text=text, author_id=staff.id, created_at=now
    )
    session.add(message)
    ticket.updated_at = now
    await session.flush()
    await notify_mentions(session, runtime, message, staff, now)
    _publish(session, runtime, {"type": "ticket.message", "ticket_id": ticket.id, "role": "note"})
    return message


async def change_status(
    session: AsyncSession, runtime: Runtime, ticket_id: int, staff: Staff, new: str, now: datetime
) -> Ticket:
    """Move the ticket to a new status; resolving hands the conversation back to the assistant."""
    ticket = await get_ticket_row(session, ticket_id)
    old = ticket.status
    if new == old:
        raise Conflict(f"The ticket is already {STATUS_WORDS[new]}.")
    if new not in TRANSITIONS[old]:
        raise Conflict(
            f"A {STATUS_WORDS[old]} ticket cannot become {STATUS_WORDS[new]}; "
            f"allowed: {', '.join(TRANSITIONS[old])}."
        )
    if old == "resolved":
        other = await repository.find_open_for_conversation(
            session, ticket.channel, ticket.conversation_id
        )
        if other is not None:
            raise Conflict(
                f"This conversation already has an open ticket (#{other.id}); continue there."
            )
    # Compare-and-set on the status we checked: a concurrent change makes this a 409.
    try:
        changed = await repository.set_status_if(session, ticket_id, old, new, now)
    except IntegrityError:
        # A new escalation opened a ticket for this conversation between our check and now;
        # the unique index keeps one open ticket per conversation.
        raise Conflict(
            "This conversation got a new open ticket just now; continue there."
        ) from None
    if not changed:
        raise Conflict("This ticket changed meanwhile; reload it and try again.")
    session.add(
        StatusChange(
            ticket_id=ticket_id,
            from_status=old,
            to_status=new,
            changed_by_id=staff.id,
            at=now,
        )
    )
    await session.flush()
    await session.refresh(ticket)
    if new != "waiting_on_customer":
        # Open again or resolved: a snooze has nothing left to wait for.
        ticket.snooze_mode, ticket.snoozed_until = None, None
    if new == "resolved":
        delivery.enqueue_handback(session, runtime, ticket)
    # A resolve or a wait frees a place under the assignee's cap; a reopen may need an agent.
    wake_assignment(session, runtime)
    await sla.refresh(session, runtime, ticket, now)
    _publish(session, runtime, {"type": "ticket.status", "ticket_id": ticket.id, "status": new})
    return ticket


async def patch(
    session: AsyncSession,
    runtime: Runtime,
    ticket_id: int,
    priority: str | None,
    tags: list[str] | None,
    now: datetime,
) -> Ticket:
    """Change priority and/or tags; a priority change moves every deadline."""
    ticket = await _for_change(session, ticket_id, now)
    if tags is not None:
        ticket.tags = tags
    if priority is not None and priority != ticket.priority:
        ticket.priority = priority
        await session.flush()
        await sla.refresh(session, runtime, ticket, now)
    ticket.updated_at = now
    await session.flush()
    _publish(session, runtime, {"type": "ticket.updated", "ticket_id": ticket.id})
    return ticket


# A later status never goes back to an earlier one (Meta does not order its callbacks);
# failed ends it.
_STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}


async def record_channel_status(
    session: AsyncSession,
    runtime: Runtime,
    delivery_id: int,
    status: str,
    at: datetime,
    error: str | None,
) -> Message:
    """Put the platform's status of a delivered reply on its message; failed marks it failed."""
    message = await repository.message_of_delivery(session, delivery_id)
    if message is None:
        raise NotFound(f"There is no reply for delivery {delivery_id}.")
    current = _STATUS_RANK.get(message.channel_status or "", 0)
    if _STATUS_RANK[status] > current:
        message.channel_status = status
        message.channel_status_at = at
        if status == "failed":
            message.delivery_state = "failed"
            message.delivery_error = (error or "The platform reported the message as failed.")[:500]
        await session.flush()
        _publish(
            session,
            runtime,
            {
                "type": "ticket.message",
                "ticket_id": message.ticket_id,
                "role": "agent",
                "channel_status": status,
            },
        )
    return message


# For the snooze and notification domains, which change tickets by the same rules.
publish = _publish
lock_for_change = _for_change
