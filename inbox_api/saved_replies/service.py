"""The rules of saved replies: unique shortcuts, audited changes, rendering for a ticket."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.answers import catalogue_reader as catalogue
from inbox_api.answers import phrases
from inbox_api.answers.service import (
    ORDER_ENTITIES,
    PRODUCT_ENTITIES,
    customer_key,
    entity_values,
)
from inbox_api.errors import Conflict, NotFound
from inbox_api.saved_replies.models import SavedReply, SavedReplyChange
from inbox_api.saved_replies.schemas import RenderedReplyOut, SavedReplyIn
from inbox_api.saved_replies.templates import fill, placeholders_in
from inbox_api.staff.models import Staff
from inbox_api.tickets.models import Ticket

LANGUAGE_NAMES = {"nl": "Dutch", "en": "English"}
CUSTOMER_NAME_ENTITIES = ("customer_name",)


def _state(reply: SavedReply) -> dict[str, Any]:
    return {
        "shortcut": reply.shortcut,
        "title": reply.title,
        "body_nl": reply.body_nl,
        "body_en": reply.body_en,
    }


async def list_replies(session: AsyncSession) -> Sequence[SavedReply]:
    """Every saved reply, by shortcut."""
    return (await session.scalars(select(SavedReply).order_by(SavedReply.shortcut))).all()


async def get_reply(session: AsyncSession, reply_id: int) -> SavedReply:
    """One saved reply, or NotFound."""
    reply = await session.get(SavedReply, reply_id)
    if reply is None:
        raise NotFound(f"There is no saved reply {reply_id}.")
    return reply


async def _by_shortcut(session: AsyncSession, shortcut: str) -> SavedReply | None:
    return await session.scalar(select(SavedReply).where(SavedReply.shortcut == shortcut))


def _audit(
    session: AsyncSession,
    reply: SavedReply,
    action: str,
    staff: Staff,
    now: datetime,
    before: dict[str, Any] | None,
) -> None:
    session.add(
        SavedReplyChange(
            saved_reply_id=reply.id,
            shortcut=reply.shortcut,
            action=action,
            staff_id=staff.id,
            at=now,
            before=before,
            after=None if action == "deleted" else _state(reply),
        )
    )


async def _flush_unique(session: AsyncSession, shortcut: str) -> None:
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise Conflict(f"The shortcut /{shortcut} is taken; pick another.") from None


async def create(
    session: AsyncSession, body: SavedReplyIn, staff: Staff, now: datetime
) -> SavedReply:
    """Save a new reply (audited); 409 when the shortcut is taken."""
    if await _by_shortcut(session, body.shortcut) is not None:
        raise Conflict(f"The shortcut /{body.shortcut} is taken; pick another.")
    reply = SavedReply(
        shortcut=body.shortcut,
        title=body.title,
        body_nl=body.body_nl,
        body_en=body.body_en,
        created_at=now,
        updated_at=now,
        updated_by_id=staff.id,
    )
    session.add(reply)
    await _flush_unique(session, body.shortcut)
    _audit(session, reply, "created", staff, now, None)
    await session.flush()
    return reply


async def update(
    session: AsyncSession, reply_id: int, body: SavedReplyIn, staff: Staff, now: datetime
) -> SavedReply:
    """Change a reply (audited with the state before and after)."""
    reply = await get_reply(session, reply_id)
    before = _state(reply)
    other = await _by_shortcut(session, body.shortcut)
    if other is not None and other.id != reply.id:
        raise Conflict(f"The shortcut /{body.shortcut} is taken; pick another.")
    reply.shortcut, reply.title = body.shortcut, body.title
    reply.body_nl, reply.body_en = body.body_nl, body.body_en
    reply.updated_at, reply.updated_by_id = now, staff.id
    await _flush_unique(session, body.shortcut)
    if _state(reply) != before:
        _audit(session, reply, "updated", staff, now, before)
        await session.flush()
    return reply


async def delete(session: AsyncSession, reply_id: int, staff: Staff, now: datetime) -> None:
    """Delete a reply; the audit trail keeps what it said."""
    reply = await get_reply(session, reply_id)
    _audit(session, reply, "deleted", staff, now, _state(reply))
    await session.delete(reply)
    await session.flush()


async def changes(session: AsyncSession, limit: int, offset: int) -> Sequence[SavedReplyChange]:
    """The audit trail, newest first."""
    stmt = (
        select(SavedReplyChange)
        .order_by(SavedReplyChange.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return (await session.scalars(stmt)).all()


async def variable_values(
    session: AsyncSession, ticket: Ticket, timezone: ZoneInfo
) -> dict[str, str | None]:
    """Each variable's value for this ticket (None when the ticket does not say)."""
    packet = ticket.packet or {}
    language = ticket.language
    names = entity_values(packet, CUSTOMER_NAME_ENTITIES)
    verified = await catalogue.verified_order_numbers(session, customer_key(ticket))
    mentioned = entity_values(packet, ORDER_ENTITIES)
    order = next((n for n in verified if n.upper() in [m.upper() for m in mentioned]), None)
    price: str | None = None
    for mention in entity_values(packet, PRODUCT_ENTITIES):
        products = await catalogue.products_named(session, mention)
        if products:
            price = phrases.price_text(phrases.current_price(products[0]), language)
            break
    due = ticket.first_response_due_at
    return {
        # The name the channel gave (Meta profile), else one the assistant understood.
        "customer.name": ticket.customer_name or (names[0] if names else None),
        "order.number": order or (mentioned[0] if mentioned else None),
        "product.price": price,
        "sla.first_response_due": phrases.moment_text(due, language, timezone) if due else None,
    }


async def render(
    session: AsyncSession, ticket: Ticket, shortcut: str, timezone: ZoneInfo
) -> RenderedReplyOut:
    """The reply in the ticket's language with its variables filled; 409 without that variant."""
    reply = await _by_shortcut(session, shortcut)
    if reply is None:
        raise NotFound(f"There is no saved reply /{shortcut}.")
    body = reply.body(ticket.language)
    if body is None:
        raise Conflict(
            f"/{shortcut} has no {LANGUAGE_NAMES[ticket.language]} variant yet; this ticket is "
            f"in {LANGUAGE_NAMES[ticket.language]}, so write the answer yourself or ask an "
            "admin to add it."
        )
    text = fill(body, await variable_values(session, ticket, timezone))
    return RenderedReplyOut(
        shortcut=shortcut,
        language=ticket.language,
        text=text,
        placeholders=placeholders_in(text),
    )
