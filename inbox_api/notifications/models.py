"""The notification table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inbox_api.db import Base
from inbox_api.staff.models import Staff
from kit.clock import utc_now
from kit.orm import UtcDateTime


class Notification(Base):
    """Something a staff member should look at: for now, a note that @mentions them."""

    __tablename__ = "notifications"
    # A staff member's list, newest first, and their unread count: one index.
    __table_args__ = (Index("ix_notifications_staff_id_id", "staff_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="mention")
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(ForeignKey("ticket_messages.id", ondelete="CASCADE"))
    by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)

    by: Mapped[Staff] = relationship(lazy="raise", foreign_keys=[by_id])
