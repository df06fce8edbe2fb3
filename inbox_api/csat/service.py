"""The rules of the satisfaction survey.

The question is asked at most once per ticket, only when a colleague's reply reached the
customer (never for conversations the assistant handled alone), and only while the
channel still takes a message from the brand (inbox_api/tickets/reply_window.py). An
answer after the survey closed, or a second one, is kept out and reported as such, so
the assistant can thank the customer without storing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.assignment.models import AgentState
from inbox_api.csat.models import CsatSurvey, FollowUp
from inbox_api.delivery.models import Delivery
from inbox_api.errors import Conflict, NotFound
from inbox_api.runtime import Runtime, after_commit
from inbox_api.staff.models import Staff
from inbox_api.tickets.models import Message, Ticket
from inbox_api.tickets.reply_window import reply_window

# good/bad share the 1-5 scale: good is 5, bad is 1.
RATING_VALUES = {"good": 5, "bad": 1, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
# Ratings at or below this open a follow-up for a team lead.
BAD_AT_MOST = 2


@dataclass(frozen=True)
class Offer:
    """Whether to ask now; the survey when asked."""

    survey: CsatSurvey | None
    reason: str | None = None


def _publish(session: AsyncSession, runtime: Runtime, event: dict[str, Any]) -> None:
    async def send() -> None:
        await runtime.broadcaster.publish(event)

    after_commit(session, send)


async def offer(
    session: AsyncSession, runtime: Runtime, delivery_id: int, conversation_id: str, now: datetime
) -> Offer:
    """Decide on the question for the ticket this hand-back resolved, and record it as asked."""
    ticket = await session.scalar(
        select(Ticket)
        .join(Delivery, Delivery.ticket_id == Ticket.id)
        .where(
            Delivery.id == delivery_id,
            Delivery.conversation_id == conversation_id,
            Delivery.kind == "handback",
        )
    )
    if ticket is None:
        return Offer(None, "unknown_delivery")
    if ticket.status != "resolved":
        return Offer(None, "not_resolved")
    helped = await session.scalar(
        select(func.count(Message.id)).where(
            Message.ticket_id == ticket.id,
            Message.role == "agent",
            Message.delivery_state == "delivered",
        )
    )
    if not helped:
        return Offer(None, "bot_only")
    last_customer = await session.scalar(
        select(func.max(Message.created_at)).where(
            Message.ticket_id == ticket.id, Message.role == "customer"
        )
    )
    closes_at = now + timedelta(hours=runtime.settings.csat_open_hours)
    window = reply_window(ticket.channel, last_customer, now)
    if window is not None:
        # Only the standard window: the survey is no colleague's reply (no HUMAN_AGENT tag).
        if window.state != "open":
            return Offer(None, "channel_closed")
        closes_at = min(closes_at, window.closes_at)
    survey = CsatSurvey(
        ticket_id=ticket.id,
        scale=runtime.settings.csat_scale,
        language=ticket.language,
        asked_at=now,
        closes_at=closes_at,
    )
    try:
        async with session.begin_nested():
            session.add(survey)
            await session.flush()
    except IntegrityError:
        return Offer(None, "already_asked")
    _publish(session, runtime, {"type": "ticket.updated", "ticket_id": ticket.id})
    return Offer(survey)


async def _survey(session: AsyncSession, ticket_id: int, conversation_id: str) -> CsatSurvey | None:
    return await session.scalar(
        select(CsatSurvey)
        .join(Ticket, Ticket.id == CsatSurvey.ticket_id)
        .where(CsatSurvey.ticket_id == ticket_id, Ticket.conversation_id == conversation_id)
    )


async def answer(
    session: AsyncSession,
    runtime: Runtime,
    ticket_id: int,
    conversation_id: str,
    rating: str,
    now: datetime,
) -> str:
    """Store the rating once, while the survey is open; a bad one opens a follow-up."""
    survey = await _survey(session, ticket_id, conversation_id)
    if survey is None:
        return "not_asked"
    if now >= survey.closes_at:
        return "closed"
    value = RATING_VALUES[rating]
    if survey.scale == "good_bad" and rating not in ("good", "bad"):
        value = 5 if value >= 4 else 1 if value <= BAD_AT_MOST else 3
    # Compare-and-set: of two answers (a double tap, two devices) only the first counts.
    result = await session.execute(
        update(CsatSurvey)
        .where(CsatSurvey.id == survey.id, CsatSurvey.answered_at.is_(None))
        .values(rating=value, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return "already_answered"
    if value <= BAD_AT_MOST:
        team_id = await session.scalar(
            select(AgentState.team_id)
            .join(Ticket, Ticket.assignee_id == AgentState.staff_id)
            .where(Ticket.id == ticket_id)
        )
        session.add(
            FollowUp(ticket_id=ticket_id, survey_id=survey.id, team_id=team_id, created_at=now)
        )
        await session.flush()
        _publish(session, runtime, {"type": "follow_up.created", "ticket_id": ticket_id})
    _publish(session, runtime, {"type": "ticket.updated", "ticket_id": ticket_id})
    return "recorded"


async def comment(
    session: AsyncSession,
    runtime: Runtime,
    ticket_id: int,
    conversation_id: str,
    text: str,
    now: datetime,
) -> str:
    """Store the optional comment once, after the rating and while the survey is open."""
    survey = await _survey(session, ticket_id, conversation_id)
    if survey is None or survey.answered_at is None:
        return "not_asked"
    if now >= survey.closes_at:
        return "closed"
    result = await session.execute(
        update(CsatSurvey)
        .where(CsatSurvey.id == survey.id, CsatSurvey.comment.is_(None))
        .values(comment=text.strip(), commented_at=now)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return "already_answered"
    _publish(session, runtime, {"type": "ticket.updated", "ticket_id": ticket_id})
    return "recorded"


async def of_ticket(session: AsyncSession, ticket_id: int) -> tuple[CsatSurvey, int | None] | None:
    """The ticket's survey and its follow-up id, if it was asked."""
    row = (
        await session.execute(
            select(CsatSurvey, FollowUp.id)
            .outerjoin(FollowUp, FollowUp.survey_id == CsatSurvey.id)
            .where(CsatSurvey.ticket_id == ticket_id)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def follow_ups(
    session: AsyncSession, include_done: bool, limit: int, follow_up_id: int | None = None
) -> list[dict[str, Any]]:
    """Follow-ups of bad ratings, newest first (open ones only unless `include_done`)."""
    stmt = (
        select(
            FollowUp.id,
            FollowUp.ticket_id,
            CsatSurvey.rating,
            CsatSurvey.scale,
            CsatSurvey.comment,
            Ticket.language,
            Staff.name.label("assignee"),
            FollowUp.team_id,
            FollowUp.created_at,
            FollowUp.done_at,
        )
        .join(CsatSurvey, CsatSurvey.id == FollowUp.survey_id)
        .join(Ticket, Ticket.id == FollowUp.ticket_id)
        .outerjoin(Staff, Staff.id == Ticket.assignee_id)
        .order_by(FollowUp.created_at.desc(), FollowUp.id.desc())
        .limit(limit)
    )
    if not include_done:
        stmt = stmt.where(FollowUp.done_at.is_(None))
    if follow_up_id is not None:
        stmt = stmt.where(FollowUp.id == follow_up_id)
    return [dict(r) for r in (await session.execute(stmt)).mappings()]


async def finish_follow_up(
    session: AsyncSession, follow_up_id: int, staff_id: int, now: datetime
) -> None:
    """Mark a follow-up done (409 when someone did already)."""
    result = await session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up_id, FollowUp.done_at.is_(None))
        .values(done_at=now, done_by_id=staff_id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return
    if await session.get(FollowUp, follow_up_id) is None:
        raise NotFound(f"There is no follow-up {follow_up_id}.")
    raise Conflict("This follow-up is done already.")
