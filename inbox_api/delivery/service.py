"""Writing delivery jobs (the outbox) alongside the change that causes them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.delivery.models import Delivery
from inbox_api.runtime import Runtime, after_commit
from inbox_api.tickets.models import Message, Ticket
from kit.delivery_signature import sign_delivery

AGENT_INTENT = "EXTERNAL_agent_message"
HANDBACK_INTENT = "EXTERNAL_handback"
AGENT_ENTITY = "agent_message"
DELIVERY_ID_ENTITY = "delivery_id"
SIGNATURE_ENTITY = "delivery_signature"


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
        text=message.text,
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
