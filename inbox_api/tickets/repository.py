"""The select() statements of the tickets domain."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Result, Select, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from inbox_api.delivery.models import Delivery
from inbox_api.staff.models import Staff
from inbox_api.tickets.models import Message, Ticket

COUNT_CAP = 10_000


@dataclass(frozen=True)
class TicketFilter:
    """Queue filters; None means any."""

    statuses: Sequence[str] | None = None
    language: str | None = None
    priority: str | None = None
    # Escalation reasons (inbox_api/tickets/reasons.py: one class of them).
    reasons: Sequence[str] | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    # Hide tickets in other languages from this agent (language offer window), unless older.
    hide_languages: Sequence[str] = ()
    hide_escalated_after: datetime | None = None
    # Snoozed tickets (inbox_api/snooze/) at this instant: hidden (False) or the only ones (True).
    snoozed_at: datetime | None = None
    only_snoozed: bool = False


async def find_open_for_conversation(
    session: AsyncSession, channel: str, conversation_id: str
) -> Ticket | None:
    """The unresolved ticket of a conversation, if any."""
    stmt = (
        select(Ticket)
        .where(
            Ticket.channel == channel,
            Ticket.conversation_id == conversation_id,
            Ticket.status != "resolved",
        )
        .order_by(Ticket.id.desc())
        .limit(1)
    )
    return await session.scalar(stmt)


async def touch(session: AsyncSession, ticket_id: int, now: datetime) -> Ticket | None:
    """Set `updated_at` (taking the row for this transaction), then read the ticket fresh."""
    result = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id)
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if _rows(result) != 1:
        return None
    return await reread(session, ticket_id)


async def touch_if_open(session: AsyncSession, ticket_id: int, now: datetime) -> bool:
    """Set `updated_at` only while the ticket is unresolved; False when it was resolved."""
    result = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status != "resolved")
        .values(updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return _rows(result) == 1


async def claim_if_free(
    session: AsyncSession, ticket_id: int, staff_id: int, take_over: bool, now: datetime
) -> bool:
    """Assign the ticket if it is unresolved and free (or already ours, or `take_over`)."""
    stmt = update(Ticket).where(Ticket.id == ticket_id, Ticket.status != "resolved")
    if not take_over:
        stmt = stmt.where((Ticket.assignee_id.is_(None)) | (Ticket.assignee_id == staff_id))
    result = await session.execute(
        stmt.values(assignee_id=staff_id, updated_at=now).execution_options(
            synchronize_session=False
        )
    )
    return _rows(result) == 1


async def set_status_if(
    session: AsyncSession, ticket_id: int, expected: str, new: str, now: datetime
) -> bool:
    """Change the status only if it is still `expected`."""
    result = await session.execute(
        update(Ticket)
        .where(Ticket.id == ticket_id, Ticket.status == expected)
        .values(status=new, resolved_at=now if new == "resolved" else None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return _rows(result) == 1


async def reread(session: AsyncSession, ticket_id: int) -> Ticket | None:
    """The ticket as the database has it now (not as this session last saw it)."""
    stmt = select(Ticket).where(Ticket.id == ticket_id).execution_options(populate_existing=True)
    return await session.scalar(stmt)


def _rows(result: Result[Any]) -> int:
    rowcount: int = cast(CursorResult[Any], result).rowcount
    return rowcount


async def next_snooze_end(session: AsyncSession, now: datetime) -> datetime | None:
    """The earliest end of a timed snooze still to come."""
    stmt = select(func.min(Ticket.snoozed_until)).where(
        Ticket.snooze_mode == "time", Ticket.snoozed_until > now, Ticket.status != "resolved"
    )
    value: datetime | None = await session.scalar(stmt)
    return value


async def get_detail(session: AsyncSession, ticket_id: int) -> Ticket | None:
    """A ticket with its assignee, messages (and their authors) and status changes."""
    stmt = (
        select(Ticket)
        .where(Ticket.id == ticket_id)
        .options(
            # Three round trips: the ticket with its assignee, the messages with their
            # authors, the status changes.
            joinedload(Ticket.assignee),
            selectinload(Ticket.messages).joinedload(Message.author),
            selectinload(Ticket.status_changes),
        )
        .execution_options(populate_existing=True)
    )
    return await session.scalar(stmt)


_S = TypeVar("_S", bound=Select[Any])


def _filtered(stmt: _S, f: TicketFilter) -> _S:
    if f.statuses:
        stmt = stmt.where(Ticket.status.in_(f.statuses))
    if f.language:
        stmt = stmt.where(Ticket.language == f.language)
    if f.priority:
        stmt = stmt.where(Ticket.priority == f.priority)
    if f.reasons:
        stmt = stmt.where(Ticket.reason.in_(f.reasons))
    if f.assignee_id is not None:
        stmt = stmt.where(Ticket.assignee_id == f.assignee_id)
    if f.unassigned:
        stmt = stmt.where(Ticket.assignee_id.is_(None))
    if f.hide_languages and f.hide_escalated_after is not None:
        stmt = stmt.where(
            ~(
                Ticket.language.in_(f.hide_languages)
                & (Ticket.escalated_at > f.hide_escalated_after)
            )
        )
    if f.snoozed_at is not None:
        snoozed = (Ticket.snooze_mode == "reply") | (
            (Ticket.snooze_mode == "time") & (Ticket.snoozed_until > f.snoozed_at)
        )
        stmt = stmt.where(snoozed if f.only_snoozed else ~snoozed | Ticket.snooze_mode.is_(None))
    return stmt


# The queue's columns: everything a queue row shows, nothing it does not (no packet).
QUEUE_COLUMNS = (
    Ticket.id,
    Ticket.channel,
    Ticket.conversation_id,
    Ticket.language,
    Ticket.reason,
    Ticket.status,
    Ticket.priority,
    Ticket.tags,
    Ticket.escalated_at,
    Ticket.updated_at,
    Ticket.sla_due_at,
    Ticket.first_response_due_at,
    Ticket.next_response_due_at,
    Ticket.resolution_due_at,
    Ticket.customer_name,
    Ticket.reply_window_closes_at,
    Ticket.snooze_mode,
    Ticket.snoozed_until,
)
PREVIEW_CHARS = 140


def queue_order(now: datetime) -> tuple[Any, ...]:
    """Tickets whose Meta window closes (still open) before their SLA deadline come first, by
    window; then everything else by SLA deadline (no running clock last), then by age.

    A colleague who keeps the SLA order would otherwise answer a ticket due in an hour while
    another customer's window closes in twenty minutes, after which only the HUMAN_AGENT tag
    (or, on WhatsApp, a template) can reach them.
    """
    window_first = and_(
        Ticket.reply_window_closes_at > now,
        or_(Ticket.sla_due_at.is_(None), Ticket.reply_window_closes_at < Ticket.sla_due_at),
    )
    return (
        case((window_first, 0), else_=1),
        case((window_first, Ticket.reply_window_closes_at), else_=Ticket.sla_due_at)
        .asc()
        .nulls_last(),
        Ticket.id,
    )


def queue_statement(
    f: TicketFilter, limit: int, offset: int, now: datetime | None = None
) -> Select[Any]:
    """The queue page as one statement: the assignee's name is joined, the preview (latest
    customer message, cut short by the database) and the capped count are subqueries."""
    latest_customer_text = (
        select(func.substr(Message.text, 1, PREVIEW_CHARS))
        .where(Message.ticket_id == Ticket.id, Message.role == "customer")
        .order_by(Message.id.desc())
        .limit(1)
        .correlate(Ticket)
        .scalar_subquery()
    )
    stmt = cast(
        Select[Any],
        select(
            *QUEUE_COLUMNS,
            Staff.id.label("assignee_id"),
            Staff.name.label("assignee_name"),
            latest_customer_text.label("preview"),
            _capped_count(f).label("total"),
        ).outerjoin(Staff, Staff.id == Ticket.assignee_id),
    )
    order = (
        queue_order(now) if now is not None else (Ticket.sla_due_at.asc().nulls_last(), Ticket.id)
    )
    return _filtered(stmt, f).order_by(*order).limit(limit).offset(offset)


def _capped_count(f: TicketFilter) -> Any:
    # Counting stops at COUNT_CAP: an exact count of a huge queue costs more than the page.
    capped = _filtered(select(Ticket.id), f).limit(COUNT_CAP + 1).subquery()
    return select(func.count()).select_from(capped).scalar_subquery()


async def list_tickets(
    session: AsyncSession, f: TicketFilter, limit: int, offset: int, now: datetime | None = None
) -> tuple[list[dict[str, Any]], int]:
    """A page of queue rows in queue order (queue_order; by SLA deadline without `now`)."""
    stmt = queue_statement(f, limit, offset, now)
    rows = [dict(r) for r in (await session.execute(stmt)).mappings()]
    # Past the last page there is no row to carry the count, and the pager still needs it.
    if rows:
        return rows, int(rows[0]["total"])
    return rows, int(await session.scalar(select(_capped_count(f))) or 0)


async def message_of_delivery(session: AsyncSession, delivery_id: int) -> Message | None:
    """The agent reply an outbox row delivered, if the row belongs to one."""
    stmt = (
        select(Message)
        .join(Delivery, Delivery.message_id == Message.id)
        .where(Delivery.id == delivery_id)
    )
    return await session.scalar(stmt)
