"""The review queue table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inbox_api.db import Base
from kit.clock import utc_now
from kit.orm import UtcDateTime

REVIEW_STATUSES = ("pending", "labelled", "dismissed")


class ReviewItem(Base):
    """A customer message the assistant did not handle, waiting for a trainer's verdict."""

    __tablename__ = "nlu_review_items"
    __table_args__ = (Index("ix_nlu_review_items_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(
        ForeignKey("tickets.id", ondelete="SET NULL"), index=True, default=None
    )
    # The ticket message it came from; unique, so collecting twice adds nothing.
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("ticket_messages.id", ondelete="SET NULL"), unique=True, default=None
    )
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


class TrainingJob(Base):
    """A job for the training worker (training/job_queue.py declares the same table)."""

    __tablename__ = "training_jobs"
    __table_args__ = (
        Index("ix_training_jobs_lane_status_created_at", "lane", "status", "created_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # "model" jobs run one at a time; "edit" jobs (one example) run beside them.
    lane: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20))
    phase: Mapped[str] = mapped_column(String(30))
    progress: Mapped[float] = mapped_column(Float)
    message: Mapped[str] = mapped_column(Text)
    promote: Mapped[bool] = mapped_column(Boolean)
    model_id: Mapped[str | None] = mapped_column(String(100), default=None)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    worker: Mapped[str | None] = mapped_column(String(100), default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    # A running job whose lease has passed has lost its worker.
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class TrainerSnapshot(Base):
    """State the training worker publishes: "worker" (heartbeat), "domain", "parity", "models"."""

    __tablename__ = "training_snapshots"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    body: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
