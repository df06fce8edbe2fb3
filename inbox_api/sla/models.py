"""SLA warning and breach events, each stored exactly once per (ticket, metric, cycle, kind)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from inbox_api.db import Base
from kit.clock import utc_now
from kit.orm import UtcDateTime


class SlaEvent(Base):
    """A budget crossed 80% (warning) or 100% (breach)."""

    __tablename__ = "sla_events"
    __table_args__ = (UniqueConstraint("ticket_id", "metric", "cycle", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    metric: Mapped[str] = mapped_column(String(30))
    cycle: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    # When the threshold was crossed (from the policy), and when we noticed and stored it.
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    emitted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    language: Mapped[str] = mapped_column(String(5))
    priority: Mapped[str] = mapped_column(String(10))
