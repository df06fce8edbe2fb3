"""The statements behind conversation reports and containment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, case, exists, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.conversations.models import BotConversation
from inbox_api.conversations.schemas import ConversationReportIn
from inbox_api.tickets.models import Ticket
from kit.database import is_postgres


async def upsert(session: AsyncSession, report: ConversationReportIn) -> BotConversation:
    """Insert the conversation or move it forward; a late or repeated report never moves it back."""
    values = report.model_dump()
    insert = postgresql.insert if is_postgres(session) else sqlite.insert
    statement = insert(BotConversation).values(**values)
    table, new = BotConversation.__table__.c, statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=["channel", "conversation_id"],
        set_={
            "turns": case((new.turns > table.turns, new.turns), else_=table.turns),
            "started_at": case(
                (new.started_at < table.started_at, new.started_at), else_=table.started_at
            ),
            "last_message_at": case(
                (new.last_message_at > table.last_message_at, new.last_message_at),
                else_=table.last_message_at,
            ),
            # The language follows the latest report; the intent is the first real one.
            "language": case(
                (new.last_message_at >= table.last_message_at, new.language),
                else_=table.language,
            ),
            "intent": case((table.intent == "other", new.intent), else_=table.intent),
        },
    )
    await session.execute(statement)
    stored = await session.scalar(
        select(BotConversation)
        .where(
            BotConversation.channel == report.channel,
            BotConversation.conversation_id == report.conversation_id,
        )
        .execution_options(populate_existing=True)
    )
    assert stored is not None
    return stored


async def started_between(
    session: AsyncSession, since: datetime, until: datetime
) -> Sequence[Row[str, str, str, datetime, bool]]:
    """(language, intent, channel, started_at, reached a human) of conversations started then."""
    escalated = exists().where(
        Ticket.channel == BotConversation.channel,
        Ticket.conversation_id == BotConversation.conversation_id,
    )
    rows = await session.execute(
        select(
            BotConversation.language,
            BotConversation.intent,
            BotConversation.channel,
            BotConversation.started_at,
            escalated,
        ).where(BotConversation.started_at >= since, BotConversation.started_at < until)
    )
    return rows.all()
