"""Everything held about one customer: find it, export it as JSON, erase it.

A customer is named by a conversation (`<channel>:<sender id>` or a ticket id) or by an
e-mail address. The inbox's own tables are read through its models; the catalogue's
(orders, returns, registrations, verification_attempts) by table name in plain SQL, because
the inbox may not import the catalogue package (README, "Boundaries"); Rasa's tracker store
through `RasaTrackerStore`. Erasing deletes what only identifies the customer and anonymises
what the shop must keep (orders and returns stay for the books, without e-mail or postcode).
Every step re-reads what is there, so erasing twice removes nothing the second time.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from typing import cast as cast_type

from sqlalchemy import (
    CursorResult,
    Result,
    Text,
    bindparam,
    cast,
    delete,
    func,
    inspect,
    or_,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.delivery.models import Delivery
from inbox_api.errors import InboxError, NotFound
from inbox_api.nlu_review.models import ReviewItem
from inbox_api.privacy.models import PrivacyRun
from inbox_api.privacy.rasa_tracker import RasaTrackerStore
from inbox_api.tickets.models import Message, Ticket
from kit.orm import UtcDateTime

# Catalogue tables the inbox reads by name (catalogue/models.py declares them).
CATALOGUE_TABLES = ("orders", "returns", "registrations", "events", "verification_attempts")
ERASED_DOMAIN = "erased.invalid"


@dataclass
class Subject:
    """Whom a request is about: conversations (channel, sender) and/or an e-mail address."""

    conversations: set[tuple[str | None, str]] = field(default_factory=set)
    email: str | None = None

    @property
    def senders(self) -> set[str]:
        """Sender ids, as Rasa's tracker store knows them."""
        return {sender for _, sender in self.conversations}

    def fingerprint(self) -> str:
        """A hash naming the subject in the privacy log without its data."""
        words = [*sorted(f"{c}:{s}" for c, s in self.conversations), self.email or ""]
        return hashlib.sha256("\n".join(words).encode()).hexdigest()


async def subject_for(
    session: AsyncSession,
    rasa: RasaTrackerStore,
    *,
    conversation: str | None = None,
    email: str | None = None,
) -> Subject:
    """The subject of a request: a conversation (`channel:sender` or a ticket id) or an e-mail.

    An e-mail also names every conversation whose messages, packet or Rasa events mention it.
    """
    subject = Subject()
    if conversation is not None:
        value = conversation.strip()
        if value.isdigit():
            ticket = await session.get(Ticket, int(value))
            if ticket is None:
                raise NotFound(f"There is no ticket {value}.")
            subject.conversations.add((ticket.channel, ticket.conversation_id))
        elif ":" in value and value.split(":", 1)[1]:
            channel, sender = value.split(":", 1)
            subject.conversations.add((channel, sender))
        else:
            raise InboxError("Name the conversation as <channel>:<sender id>, or a ticket id.", 422)
    if email is not None:
        address = email.strip().lower()
        if "@" not in address:
            raise InboxError(f"'{email}' is not an e-mail address.", 422)
        subject.email = address
        # LIKE finds candidates; only a whole address counts (not "xanna@..." for "anna@...").
        candidates = await session.execute(
            select(Ticket.channel, Ticket.conversation_id, Message.text, cast(Ticket.packet, Text))
            .outerjoin(Message, Message.ticket_id == Ticket.id)
            .where(
                or_(
                    func.lower(Message.text).contains(address, autoescape=True),
                    func.lower(cast(Ticket.packet, Text)).contains(address, autoescape=True),
                )
            )
        )
        subject.conversations.update(
            (channel, sender)
            for channel, sender, message, packet in candidates.all()
            if mentions(message, address) or mentions(packet, address)
        )
        for sender in await rasa.senders_mentioning(address, lambda data: mentions(data, address)):
            subject.conversations.add((None, sender))
    return subject


def mentions(haystack: str | None, address: str) -> bool:
    """True when `haystack` contains the e-mail address as a whole address."""
    if not haystack:
        return False
    pattern = r"(?<![\w.+-])" + re.escape(address) + r"(?![\w-]|\.\w)"
    return re.search(pattern, haystack, re.IGNORECASE) is not None


def _ticket_filter(subject: Subject) -> Any:
    clauses: list[Any] = []
    for channel, sender in subject.conversations:
        if channel is None:
            clauses.append(Ticket.conversation_id == sender)
        else:
            clauses.append((Ticket.channel == channel) & (Ticket.conversation_id == sender))
    return or_(*clauses) if clauses else None


def _review_filter(subject: Subject, ticket_ids: list[int], mentioned: list[int]) -> Any:
    clauses: list[Any] = []
    if mentioned:
        clauses.append(ReviewItem.id.in_(mentioned))
    if ticket_ids:
        clauses.append(ReviewItem.ticket_id.in_(ticket_ids))
    for channel, sender in subject.conversations:
        if channel is None:
            clauses.append(ReviewItem.conversation_id == sender)
        else:
            clauses.append((ReviewItem.channel == channel) & (ReviewItem.conversation_id == sender))
    return or_(*clauses) if clauses else None


async def _review_mentions(session: AsyncSession, subject: Subject) -> list[int]:
    """Review items whose text names the subject's e-mail address."""
    if not subject.email:
        return []
    rows = await session.execute(
        select(ReviewItem.id, ReviewItem.text).where(
            func.lower(ReviewItem.text).contains(subject.email, autoescape=True)
        )
    )
    return [item_id for item_id, text_ in rows.all() if mentions(text_, subject.email)]


async def _ticket_ids(session: AsyncSession, subject: Subject) -> list[int]:
    where = _ticket_filter(subject)
    if where is None:
        return []
    return list(await session.scalars(select(Ticket.id).where(where).order_by(Ticket.id)))


async def catalogue_tables(session: AsyncSession) -> set[str]:
    def names(connection: Any) -> set[str]:
        return set(inspect(connection).get_table_names()) & set(CATALOGUE_TABLES)

    connection = await session.connection()
    return await connection.run_sync(names)


def _customers(subject: Subject) -> tuple[list[str], list[str]]:
    """verification_attempts keys: exact `channel:sender`, and senders of any channel."""
    exact = sorted(f"{c}:{s}" for c, s in subject.conversations if c is not None)
    any_channel = sorted(s for c, s in subject.conversations if c is None)
    return exact, any_channel


def _rows(result: Any) -> list[dict[str, Any]]:
    return [_jsonable(dict(row)) for row in result.mappings().all()]


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat()
        if isinstance(value, datetime)
        else (
            str(value)
            if value is not None and not isinstance(value, (int, float, str, bool, list, dict))
            else value
        )
        for key, value in row.items()
    }


async def export(session: AsyncSession, rasa: RasaTrackerStore, subject: Subject) -> dict[str, Any]:
    """Every record held about the subject as one JSON-ready document (subject-access request)."""
    ticket_ids = await _ticket_ids(session, subject)
    tickets = []
    if ticket_ids:
        for ticket in await session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids))):
            messages = await session.scalars(
                select(Message).where(Message.ticket_id == ticket.id).order_by(Message.id)
            )
            tickets.append(
                {
                    "id": ticket.id,
                    "channel": ticket.channel,
                    "conversation_id": ticket.conversation_id,
                    "language": ticket.language,
                    "status": ticket.status,
                    "escalated_at": ticket.escalated_at.isoformat(),
                    "resolved_at": ticket.resolved_at.isoformat() if ticket.resolved_at else None,
                    "packet": ticket.packet,
                    "messages": [
                        {"id": m.id, "role": m.role, "text": m.text, "at": m.created_at.isoformat()}
                        for m in messages
                    ],
                }
            )
    review_where = _review_filter(subject, ticket_ids, await _review_mentions(session, subject))
    review = []
    if review_where is not None:
        for item in await session.scalars(select(ReviewItem).where(review_where)):
            review.append(
                {
                    "id": item.id,
                    "ticket_id": item.ticket_id,
                    "text": item.text,
                    "status": item.status,
                    "created_at": item.created_at.isoformat(),
                }
            )
    deliveries = []
    if ticket_ids:
        for d in await session.scalars(select(Delivery).where(Delivery.ticket_id.in_(ticket_ids))):
            deliveries.append(
                {
                    "id": d.id,
                    "ticket_id": d.ticket_id,
                    "kind": d.kind,
                    "text": d.text,
                    "state": d.state,
                    "created_at": d.created_at.isoformat(),
                }
            )
    document: dict[str, Any] = {
        "subject": {
            "conversations": sorted(f"{c or '*'}:{s}" for c, s in subject.conversations),
            "email": subject.email,
        },
        "tickets": tickets,
        "review_items": review,
        "deliveries": deliveries,
        "rasa_events": await rasa.events(subject.senders),
    }
    document.update(await _catalogue_export(session, subject))
    return document


async def _catalogue_export(session: AsyncSession, subject: Subject) -> dict[str, Any]:
    tables = await catalogue_tables(session)
    found: dict[str, Any] = {
        "orders": [],
        "returns": [],
        "registrations": [],
        "verification_attempts": [],
    }
    numbers: list[str] = []
    if subject.email and "orders" in tables:
        orders = _rows(
            await session.execute(
                text(
                    "SELECT id, number, email, postcode, country, status, placed_at, shipped_at, "
                    "delivered_at, carrier, tracking_code FROM orders WHERE lower(email) = :email "
                    "ORDER BY id"
                ),
                {"email": subject.email},
            )
        )
        found["orders"] = orders
        numbers = [o["number"] for o in orders]
        if orders and "returns" in tables:
            found["returns"] = _rows(
                await session.execute(
                    text(
                        "SELECT id, number, order_id, reason, status, refund_status, "
                        "refund_amount, "
                        "created_at FROM returns WHERE order_id IN :ids ORDER BY id"
                    ).bindparams(bindparam("ids", expanding=True)),
                    {"ids": [o["id"] for o in orders]},
                )
            )
    if subject.email and "registrations" in tables:
        found["registrations"] = _rows(
            await session.execute(
                text(
                    "SELECT r.id, r.confirmation, r.name, r.email, r.places, r.created_at, "
                    "e.slug AS event FROM registrations r JOIN events e ON e.id = r.event_id "
                    "WHERE lower(r.email) = :email ORDER BY r.id"
                ),
                {"email": subject.email},
            )
        )
    if "verification_attempts" in tables:
        where, params = _attempts_where(subject, numbers)
        if where:
            found["verification_attempts"] = _rows(
                await session.execute(
                    text(
                        "SELECT id, order_number, customer, succeeded, attempted_at "
                        f"FROM verification_attempts WHERE {where} ORDER BY id"
                    ).bindparams(
                        *[
                            bindparam(k, expanding=True)
                            for k in ("customers", "numbers")
                            if k in params
                        ]
                    ),
                    params,
                )
            )
    return found


def _attempts_where(subject: Subject, numbers: list[str]) -> tuple[str, dict[str, Any]]:
    exact, any_channel = _customers(subject)
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if exact:
        clauses.append("customer IN :customers")
        params["customers"] = exact
    for i, sender in enumerate(any_channel):
        escaped = sender.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        clauses.append(f"customer LIKE :sender{i} ESCAPE '\\'")
        params[f"sender{i}"] = f"%:{escaped}"
    if numbers:
        clauses.append("order_number IN :numbers")
        params["numbers"] = numbers
    return " OR ".join(clauses), params


async def erase(
    session: AsyncSession, rasa: RasaTrackerStore, subject: Subject, now: datetime
) -> dict[str, int]:
    """Remove the subject everywhere; records touched per kind (all 0 when done before)."""
    counts: dict[str, int] = {}
    ticket_ids = await _ticket_ids(session, subject)
    review_where = _review_filter(subject, ticket_ids, await _review_mentions(session, subject))
    counts["review_items"] = (
        await deleted(session, delete(ReviewItem).where(review_where))
        if review_where is not None
        else 0
    )
    if ticket_ids:
        counts["messages"] = await deleted(
            session, delete(Message).where(Message.ticket_id.in_(ticket_ids))
        )
        counts["deliveries"] = await deleted(
            session, delete(Delivery).where(Delivery.ticket_id.in_(ticket_ids))
        )
        # Status history, SLA events, surveys and follow-ups go with the ticket (ON DELETE CASCADE).
        counts["tickets"] = await deleted(session, delete(Ticket).where(Ticket.id.in_(ticket_ids)))
    else:
        counts.update(messages=0, deliveries=0, tickets=0)
    counts.update(await _erase_catalogue(session, subject, now))
    await session.flush()
    counts["rasa_events"] = await rasa.delete(subject.senders)
    session.add(PrivacyRun(kind="erase", subject_hash=subject.fingerprint(), counts=counts, at=now))
    await session.flush()
    return counts


async def _erase_catalogue(
    session: AsyncSession, subject: Subject, now: datetime
) -> dict[str, int]:
    tables = await catalogue_tables(session)
    counts = {
        "orders_anonymised": 0,
        "returns_anonymised": 0,
        "registrations": 0,
        "verification_attempts": 0,
    }
    numbers: list[str] = []
    if subject.email and "orders" in tables:
        orders = (
            await session.execute(
                text("SELECT id, number FROM orders WHERE lower(email) = :email"),
                {"email": subject.email},
            )
        ).all()
        numbers = [row[1] for row in orders]
        ids = [row[0] for row in orders]
        if ids:
            # Kept for the books; nothing in them names the customer any more.
            result = await session.execute(
                text(
                    "UPDATE orders SET email = 'order-' || CAST(id AS VARCHAR(12)) || "
                    f"'@{ERASED_DOMAIN}', postcode = '', tracking_code = NULL WHERE id IN :ids"
                ).bindparams(bindparam("ids", expanding=True)),
                {"ids": ids},
            )
            counts["orders_anonymised"] = affected(result)
            if "returns" in tables:
                result = await session.execute(
                    text(
                        "UPDATE returns SET reason = '' WHERE order_id IN :ids AND reason != ''"
                    ).bindparams(bindparam("ids", expanding=True)),
                    {"ids": ids},
                )
                counts["returns_anonymised"] = affected(result)
    if subject.email and "registrations" in tables:
        # A coming event gets its places back; the registration itself goes.
        if "events" in tables:
            await session.execute(
                text(
                    "UPDATE events SET places_taken = places_taken - "
                    "(SELECT coalesce(sum(r.places), 0) FROM registrations r "
                    "WHERE r.event_id = events.id AND lower(r.email) = :email) "
                    "WHERE ends_at > :now AND id IN (SELECT event_id FROM registrations "
                    "WHERE lower(email) = :email)"
                ).bindparams(bindparam("now", type_=UtcDateTime())),
                {"email": subject.email, "now": now},
            )
        result = await session.execute(
            text("DELETE FROM registrations WHERE lower(email) = :email"), {"email": subject.email}
        )
        counts["registrations"] = affected(result)
    if "verification_attempts" in tables:
        where, params = _attempts_where(subject, numbers)
        if where:
            result = await session.execute(
                text(f"DELETE FROM verification_attempts WHERE {where}").bindparams(
                    *[bindparam(k, expanding=True) for k in ("customers", "numbers") if k in params]
                ),
                params,
            )
            counts["verification_attempts"] = affected(result)
    return counts


def affected(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE touched."""
    return int(cast_type(CursorResult[Any], result).rowcount or 0)


async def deleted(session: AsyncSession, statement: Any) -> int:
    """Run a DELETE; the number of rows it removed."""
    result = await session.execute(statement.execution_options(synchronize_session=False))
    return affected(result)
