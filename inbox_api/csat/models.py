"""The survey of a resolved ticket (asked at most once) and the follow-ups of bad ratings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from inbox_api.db import Base
from kit.clock import utc_now
from kit.orm import UtcDateTime

SCALES = ("good_bad", "one_to_five")


class CsatSurvey(Base):
    """The satisfaction question of one ticket: asked once, answered at most once."""

    __tablename__ = "csat_surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique: a ticket's customer is asked once, whatever the number of hand-backs.
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), unique=True
    )
    scale: Mapped[str] = mapped_column(String(12))
    language: Mapped[str] = mapped_column(String(5))
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    # Answers after this are thanked and ignored (the survey window, or the channel's).
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # 1-5; "good" is stored as 5 and "bad" as 1, so both scales share one chart.
    rating: Mapped[int | None] = mapped_column(default=None)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None, index=True)
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    commented_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)


class FollowUp(Base):
    """Something a team lead should look at: for now, a bad rating."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[int] = mapped_column(
        ForeignKey("csat_surveys.id", ondelete="CASCADE"), unique=True
    )
    reason: Mapped[str] = mapped_column(String(30), default="bad_rating")
    # The team of the agent who handled the ticket (its leads see it first); None: no team.
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None, index=True)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), default=None)
