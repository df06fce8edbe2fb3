"""The action server's conversation report in, and the containment figures out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from inbox_api.schemas import Instant

Bucket = Literal["day", "week"]


class ConversationReportIn(BaseModel):
    """Where a conversation stands after a customer message (sent by the action server)."""

    channel: str = Field(min_length=1, max_length=50)
    conversation_id: str = Field(min_length=1, max_length=200)
    language: Literal["nl", "en"]
    intent: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_/.-]+$")
    turns: int = Field(ge=1, le=100_000)
    started_at: datetime
    last_message_at: datetime

    @model_validator(mode="after")
    def _ordered_and_aware(self) -> ConversationReportIn:
        if self.started_at.tzinfo is None or self.last_message_at.tzinfo is None:
            raise ValueError("started_at and last_message_at need a UTC offset")
        if self.last_message_at < self.started_at:
            raise ValueError("last_message_at is before started_at")
        return self


class ConversationReportOut(BaseModel):
    """The conversation as the inbox now holds it."""

    conversation_id: str
    channel: str
    turns: int
    started_at: Instant
    last_message_at: Instant


class ContainmentShare(BaseModel):
    """Conversations, how many never reached a human, and that share."""

    conversations: int
    contained: int
    containment: float | None


class ContainmentPoint(ContainmentShare):
    """One day or week (starting Monday) in the business timezone."""

    period_start: date


class Containment(BaseModel):
    """The share of conversations resolved without a human, by language, intent, channel, time."""

    bucket: Bucket
    overall: ContainmentShare
    by_language: dict[str, ContainmentShare]
    by_intent: dict[str, ContainmentShare]
    by_channel: dict[str, ContainmentShare]
    over_time: list[ContainmentPoint]
