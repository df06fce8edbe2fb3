"""The audit of reveals, and the record of what erasure and retention removed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from inbox_api.db import Base
from kit.clock import utc_now
from kit.orm import UtcDateTime


class Reveal(Base):
    """A staff member saw the unmasked text of one message (or of a ticket's packet)."""

    __tablename__ = "privacy_reveals"
    __table_args__ = (Index("ix_privacy_reveals_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
    # Plain ids, no foreign keys: the audit outlives the ticket when it is erased.
    ticket_id: Mapped[int] = mapped_column(index=True)
    # None: the ticket's escalation packet (transcript and entities).
    message_id: Mapped[int | None] = mapped_column(default=None)
    reason: Mapped[str | None] = mapped_column(String(500), default=None)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class PrivacyRun(Base):
    """One erasure or retention pass and what it removed (counts only, never the data)."""

    __tablename__ = "privacy_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "erase" or "retention"
    # A hash of the subject (conversation or e-mail), so the record itself holds no data.
    subject_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
