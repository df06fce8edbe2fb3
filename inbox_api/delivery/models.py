"""Outbox rows, written in the same transaction as the reply or resolve that caused them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inbox_api.db import Base
from kit.clock import utc_now
from kit.orm import UtcDateTime

KINDS = ("agent_message", "handback")
# `failed`: Rasa or the customer's platform refused it for good; never retried, and it no
# longer holds up the conversation's next deliveries.
STATES = ("pending", "retrying", "delivered", "failed")
# Rows still to send: the conversation's oldest of these goes next.
OUTSTANDING = ("pending", "retrying")


class Delivery(Base):
    """One thing to tell the customer through Rasa; delivered in id order per conversation."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_state_conversation", "state", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket_messages.id", ondelete="CASCADE"), default=None
    )
    channel: Mapped[str] = mapped_column(String(50))
    conversation_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text, default=None)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # A worker owns the row until this instant, so two workers never send it twice.
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    last_error: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # When the action server relayed it to the customer; set once, so a repeat is dropped.
    relayed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
