"""Survey API shapes: the action server's calls and what staff see."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from inbox_api.schemas import Instant, RowId
from kit.personal_data import mask

Rating = Literal["good", "bad", "1", "2", "3", "4", "5"]
# What the customer is told: thanks, "we have your answer already", "the survey closed".
Verdict = Literal["recorded", "already_answered", "closed", "not_asked"]


class OfferIn(BaseModel):
    """The hand-back the action server just relayed."""

    delivery_id: str = Field(pattern=r"^[0-9]{1,9}$")
    conversation_id: str = Field(min_length=1, max_length=200)


class OfferOut(BaseModel):
    """Whether to ask the satisfaction question now, about which ticket, on which scale."""

    offered: bool
    ticket_id: int | None = None
    scale: Literal["good_bad", "one_to_five"] | None = None
    # Why not: unknown_delivery, not_resolved, bot_only, channel_closed, already_asked.
    reason: str | None = None


class AnswerIn(BaseModel):
    """The customer's rating, from the survey's buttons."""

    ticket_id: RowId
    conversation_id: str = Field(min_length=1, max_length=200)
    rating: Rating


class CommentIn(BaseModel):
    """The customer's optional comment after the rating."""

    ticket_id: RowId
    conversation_id: str = Field(min_length=1, max_length=200)
    comment: str = Field(min_length=1, max_length=1000, pattern=r"\S")


class VerdictOut(BaseModel):
    """What became of an answer or comment."""

    status: Verdict


class CsatOut(BaseModel):
    """The survey of a ticket, as the ticket view shows it."""

    model_config = ConfigDict(from_attributes=True)

    scale: Literal["good_bad", "one_to_five"]
    asked_at: Instant
    closes_at: Instant
    rating: int | None
    answered_at: Instant | None
    comment: str | None
    follow_up_id: int | None = None


class FollowUpOut(BaseModel):
    """A bad rating for a team lead to look at."""

    id: int
    ticket_id: int
    rating: int | None
    scale: Literal["good_bad", "one_to_five"]
    comment: str | None
    language: str
    assignee: str | None
    team_id: int | None
    created_at: Instant
    done_at: Instant | None


def masked_comment(comment: str | None) -> str | None:
    """A customer's comment as staff see it: personal data masked, like their messages."""
    return mask(comment) if comment else comment
