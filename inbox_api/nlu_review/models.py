"""The review queue table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inbox_api.db import Base
from kit.clock import utc_now
from kit.orm import UtcDateTime
from kit.training_tables import declare_training_tables

REVIEW_STATUSES = ("pending", "labelled", "dismissed")


class ReviewItem(Base):
    """A customer message the assistant did not handle, waiting for a trainer's verdict."""

    __tablename__ = "nlu_review_items"
    __table_args__ = (
        Index("ix_nlu_review_items_status_created_at", "status", "created_at"),
        Index("ix_nlu_review_items_conversation", "channel", "conversation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True, default=None
    )
    # The ticket message it came from; unique, so collecting twice adds nothing.
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket_messages.id", ondelete="SET NULL"), unique=True, default=None
    )
    # The conversation it came from (for erasure); None for reports sent without one.
    channel: Mapped[str | None] = mapped_column(String(50), default=None)
    conversation_id: Mapped[str | None] = mapped_column(String(200), default=None)
    # Why the assistant let go: the escalation reason (fallback, out_of_scope, ...).
    source: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(5))
    predicted_intent: Mapped[str | None] = mapped_column(String(100), default=None)
    confidence: Mapped[float | None] = mapped_column(Float, default=None)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    # An agent's guess when resolving the ticket; pre-fills the trainer's label.
    suggested_intent: Mapped[str | None] = mapped_column(String(100), default=None)
    suggested_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    label_intent: Mapped[str | None] = mapped_column(String(100), default=None)
    label_language: Mapped[str | None] = mapped_column(String(5), default=None)
    # The example as written to data/nlu (edited, entities marked).
    label_text: Mapped[str | None] = mapped_column(Text, default=None)
    example_ref: Mapped[str | None] = mapped_column(String(300), default=None)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


# The worker's tables, declared once in kit/training_tables.py for both sides of the contract.
_jobs_table, _snapshots_table = declare_training_tables(Base.metadata)


class TrainingJob(Base):
    """A job for the training worker."""

    __table__ = _jobs_table

    id: Mapped[str]
    kind: Mapped[str]
    lane: Mapped[str]
    status: Mapped[str]
    phase: Mapped[str]
    progress: Mapped[float]
    message: Mapped[str]
    promote: Mapped[bool]
    model_id: Mapped[str | None]
    payload: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any] | None]
    error: Mapped[str | None]
    worker: Mapped[str | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]


class TrainerSnapshot(Base):
    """State the training worker publishes: "worker" (heartbeat), "domain", "parity", "models"."""

    __table__ = _snapshots_table

    key: Mapped[str]
    body: Mapped[Any]
    updated_at: Mapped[datetime]
