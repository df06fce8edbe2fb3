"""One row per customer conversation the assistant saw, whether or not a human joined it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from inbox_api.db import Base
from kit.orm import UtcDateTime


class BotConversation(Base):
    """What the action server last reported about a conversation (docs/contracts.md)."""

    __tablename__ = "bot_conversations"
    __table_args__ = (
        UniqueConstraint("channel", "conversation_id"),
        # The report selects a period by when conversations started.
        Index("ix_bot_conversations_started_at", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(50))
    conversation_id: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5))
    # The first thing the customer came for (greetings and thanks skipped); "other" if none yet.
    intent: Mapped[str] = mapped_column(String(100))
    turns: Mapped[int]
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_message_at: Mapped[datetime] = mapped_column(UtcDateTime)
