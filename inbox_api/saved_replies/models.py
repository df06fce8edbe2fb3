"""Saved replies and the audit trail of every change to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inbox_api.db import Base
from kit.clock import utc_now
from kit.orm import UtcDateTime


class SavedReply(Base):
    """An answer agents insert with `/shortcut`, in Dutch and English (either may be missing)."""

    __tablename__ = "saved_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    shortcut: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    # None when the variant is not written yet: the page flags it, nothing falls back.
    body_nl: Mapped[str | None] = mapped_column(Text, default=None)
    body_en: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)

    def body(self, language: str) -> str | None:
        """The variant in one language, if written."""
        return self.body_nl if language == "nl" else self.body_en


class SavedReplyChange(Base):
    """One create, update or delete of a saved reply: who, when, before and after."""

    __tablename__ = "saved_reply_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the trail outlives a deleted reply.
    saved_reply_id: Mapped[int] = mapped_column(index=True)
    shortcut: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(10))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
