"""Tickets, their messages and their status history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inbox_api.db import Base
from inbox_api.staff.models import Staff
from kit.clock import utc_now
from kit.orm import UtcDateTime

STATUSES = ("open", "waiting_on_customer", "resolved")
PRIORITIES = ("urgent", "high", "normal", "low")
MESSAGE_ROLES = ("customer", "assistant", "agent", "note")


class Ticket(Base):
    """A customer conversation handed to humans, with the SLA deadlines derived from its history."""

    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_status_sla_due_at", "status", "sla_due_at"),
        Index("ix_tickets_channel_conversation", "channel", "conversation_id"),
        Index("ix_tickets_sla_next_check_at", "sla_next_check_at"),
        Index("ix_tickets_queue_order", "sla_due_at", "id"),
        Index(
            "uq_tickets_open_conversation",
            "channel",
            "conversation_id",
            unique=True,
            sqlite_where=text("status != 'resolved'"),
            postgresql_where=text("status != 'resolved'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(50))
    conversation_id: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5))
    reason: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(30), default="open")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    # Staff member currently handling the case (advisory; anyone may still reply).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What the assistant knew when it gave up: transcript, intents, entities, attempted actions.
    packet: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    escalated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # Deadlines as computed by sla.policy at the last change; the database is their source of truth.
    first_response_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    next_response_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    resolution_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    sla_due_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    sla_next_check_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # The customer's name as their platform gives it (Graph profile, WhatsApp contact, comment
    # author); null when unknown, and the page shows channels.fallback_name instead.
    customer_name: Mapped[str | None] = mapped_column(String(200), default=None)
    # Meta's 24-hour window (Messenger, Instagram, WhatsApp): the customer's latest message
    # plus 24 hours; null on channels without a window. The queue puts tickets whose window
    # closes before their SLA deadline first.
    reply_window_closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # The window the "2 hours left" warning was sent for (once per window).
    window_warned_for: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # Snooze (inbox_api/snooze/): "time" hides the ticket from the queue until snoozed_until,
    # "reply" until the customer writes; None when not snoozed. Never pauses a clock by itself.
    snooze_mode: Mapped[str | None] = mapped_column(String(10), default=None)
    snoozed_until: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)

    assignee: Mapped[Staff | None] = relationship(lazy="raise")
    messages: Mapped[list[Message]] = relationship(
        lazy="raise", order_by="Message.id", back_populates="ticket"
    )
    status_changes: Mapped[list[StatusChange]] = relationship(
        lazy="raise", order_by="StatusChange.id"
    )


class Message(Base):
    """One line in a ticket: from the customer, the assistant, an agent, or an internal note."""

    __tablename__ = "ticket_messages"
    # A ticket's latest message of a role (the queue preview) is one probe of this index.
    __table_args__ = (Index("ix_ticket_messages_ticket_role_id", "ticket_id", "role", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # Only agent replies are delivered; null for everything else.
    delivery_state: Mapped[str | None] = mapped_column(String(20), default=None)
    delivery_attempts: Mapped[int] = mapped_column(default=0)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    delivery_error: Mapped[str | None] = mapped_column(String(500), default=None)
    # How an agent reply went out past the standard window: "human_agent" (Meta's tag) or
    # "template" (the approved WhatsApp template); null for a plain reply.
    sent_as: Mapped[str | None] = mapped_column(String(20), default=None)
    # What the customer's platform reported later (WhatsApp: sent, delivered, read, failed).
    channel_status: Mapped[str | None] = mapped_column(String(20), default=None)
    channel_status_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)

    ticket: Mapped[Ticket] = relationship(lazy="raise", back_populates="messages")
    author: Mapped[Staff | None] = relationship(lazy="raise")


class StatusChange(Base):
    """A change of ticket status; the SLA policy reads these to pause and resume clocks."""

    __tablename__ = "ticket_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(30))
    to_status: Mapped[str] = mapped_column(String(30))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
