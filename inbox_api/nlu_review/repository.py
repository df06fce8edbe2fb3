"""The select statements of the review queue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.nlu_review.models import ReviewItem
from inbox_api.tickets.models import Message, Ticket


async def uncollected_escalations(session: AsyncSession) -> Sequence[tuple[Ticket, Message]]:
    """Each ticket's first customer message (the one that escalated) not yet in the queue."""
    first = (
        select(Message.ticket_id, func.min(Message.id).label("message_id"))
        .where(Message.role == "customer")
        .group_by(Message.ticket_id)
        .subquery()
    )
    statement = (
        select(Ticket, Message)
        .join(first, first.c.ticket_id == Ticket.id)
        .join(Message, Message.id == first.c.message_id)
        .where(Ticket.reason != "customer_message")
        .where(~exists().where(ReviewItem.message_id == Message.id))
        .order_by(Message.id)
    )
    result = await session.execute(statement)
    return [(ticket, message) for ticket, message in result]


async def insert_new(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Insert items, skipping any whose message another request collected meanwhile."""
    if not rows:
        return
    dialect = session.bind.dialect.name if session.bind is not None else ""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(ReviewItem).values(rows).on_conflict_do_nothing(index_elements=["message_id"])
    )
    await session.execute(statement)


def _filtered(status: str | None, language: str | None) -> Select[ReviewItem]:
    statement = select(ReviewItem)
    if status:
        statement = statement.where(ReviewItem.status == status)
    if language:
        statement = statement.where(ReviewItem.language == language)
    return statement


async def list_items(
    session: AsyncSession, status: str | None, language: str | None, limit: int, offset: int
) -> tuple[Sequence[ReviewItem], int]:
    """A page of items, oldest first, and how many match."""
    statement = _filtered(status, language)
    total = await session.scalar(select(func.count()).select_from(statement.subquery()))
    page = await session.scalars(
        statement.order_by(ReviewItem.created_at, ReviewItem.id).limit(limit).offset(offset)
    )
    return page.all(), int(total or 0)


async def get_item(session: AsyncSession, item_id: int, lock: bool = False) -> ReviewItem | None:
    """One item (row-locked on PostgreSQL when about to change it)."""
    statement = select(ReviewItem).where(ReviewItem.id == item_id)
    if lock:
        statement = statement.with_for_update()
    item: ReviewItem | None = await session.scalar(statement)
    return item


async def item_for_ticket(session: AsyncSession, ticket_id: int) -> ReviewItem | None:
    """The queue item of a ticket's escalating message."""
    item: ReviewItem | None = await session.scalar(
        select(ReviewItem).where(ReviewItem.ticket_id == ticket_id).order_by(ReviewItem.id)
    )
    return item


async def agent_replies(session: AsyncSession, ticket_ids: list[int]) -> dict[int, str]:
    """The first agent reply of each ticket."""
    if not ticket_ids:
        return {}
    rows = await session.execute(
        select(Message.ticket_id, Message.text)
        .where(Message.ticket_id.in_(ticket_ids), Message.role == "agent")
        .order_by(Message.id)
    )
    replies: dict[int, str] = {}
    for ticket_id, text in rows:
        replies.setdefault(ticket_id, text)
    return replies


async def transcripts(session: AsyncSession, ticket_ids: list[int]) -> dict[int, list[Any]]:
    """The transcript in each ticket's escalation packet."""
    if not ticket_ids:
        return {}
    rows = await session.execute(select(Ticket.id, Ticket.packet).where(Ticket.id.in_(ticket_ids)))
    return {ticket_id: list((packet or {}).get("transcript", [])) for ticket_id, packet in rows}
