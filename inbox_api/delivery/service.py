"""Writing delivery jobs (the outbox) alongside the change that causes them."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.delivery.models import Delivery
from inbox_api.errors import Conflict, NotFound
from inbox_api.runtime import Runtime, after_commit
from inbox_api.tickets.models import Message, Ticket
from kit.delivery_signature import sign_delivery

log = logging.getLogger(__name__)
AGENT_INTENT = "EXTERNAL_agent_message"
HANDBACK_INTENT = "EXTERNAL_handback"
AGENT_ENTITY = "agent_message"
DELIVERY_ID_ENTITY = "delivery_id"
SIGNATURE_ENTITY = "delivery_signature"
# docs/contracts.md: an agent message that is exactly this marker is relayed as the approved
# WhatsApp template ("We have an answer for you — reply to continue") in that language.
TEMPLATE_MARKER = "[[template:answer_ready:{language}]]"
TEMPLATE_PREFIX = "[[template:"


def template_marker(language: str) -> str:
    """The delivery text that asks the action server for the approved template."""
    return TEMPLATE_MARKER.format(language=language if language in ("nl", "en") else "en")


def trigger(job: Delivery, secret: str) -> tuple[str, dict[str, str]]:
    """The intent and signed entities that deliver this outbox row through Rasa."""
    intent = AGENT_INTENT if job.kind == "agent_message" else HANDBACK_INTENT
    text = (job.text or "") if job.kind == "agent_message" else ""
    delivery_id = str(job.id)
    entities = {
        DELIVERY_ID_ENTITY: delivery_id,
        SIGNATURE_ENTITY: sign_delivery(secret, intent, job.conversation_id, delivery_id, text),
    }
    if job.kind == "agent_message":
        entities[AGENT_ENTITY] = text
    return intent, entities


def _wake_after_commit(session: AsyncSession, runtime: Runtime) -> None:
    async def wake() -> None:
        runtime.wake_delivery()

    after_commit(session, wake)


def enqueue_agent_message(
    session: AsyncSession, runtime: Runtime, ticket: Ticket, message: Message
) -> Delivery:
    """Queue an agent reply for the customer (same transaction as the reply)."""
    job = Delivery(
        ticket_id=ticket.id,
        message_id=message.id,
        channel=ticket.channel,
        conversation_id=ticket.conversation_id,
        kind="agent_message",
        text=template_marker(ticket.language) if message.sent_as == "template" else message.text,
        next_attempt_at=message.created_at,
    )
    session.add(job)
    _wake_after_commit(session, runtime)
    return job


def enqueue_handback(session: AsyncSession, runtime: Runtime, ticket: Ticket) -> Delivery:
    """Queue the hand-back to the assistant (same transaction as the resolve)."""
    job = Delivery(
        ticket_id=ticket.id,
        channel=ticket.channel,
        conversation_id=ticket.conversation_id,
        kind="handback",
        next_attempt_at=ticket.updated_at,
    )
    session.add(job)
    _wake_after_commit(session, runtime)
    return job


async def mark_relayed(
    session: AsyncSession, delivery_id: int, conversation_id: str, now: datetime
) -> None:
    """Record the one relay of a delivery; Conflict for a repeat, NotFound for an unknown id.

    Rasa may run the relay twice for one delivery (the inbox timed out on a slow answer and
    sent it again); the compare-and-set on `relayed_at` lets exactly one of them through.
    """
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.conversation_id == conversation_id,
            Delivery.relayed_at.is_(None),
        )
        .values(relayed_at=now)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return
    known = await session.scalar(
        select(Delivery.relayed_at).where(
            Delivery.id == delivery_id, Delivery.conversation_id == conversation_id
        )
    )
    if known is None:
        log.warning(
            "relay of unknown delivery %s in conversation %s ignored", delivery_id, conversation_id
        )
        raise NotFound(f"There is no delivery {delivery_id} in this conversation.")
    log.warning(
        "repeated relay of delivery %s in conversation %s ignored (first at %s)",
        delivery_id,
        conversation_id,
        known.isoformat(),
    )
    raise Conflict(f"Delivery {delivery_id} was already relayed at {known.isoformat()}.")
