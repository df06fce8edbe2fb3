"""The action server's conversation reports (service token only)."""

from __future__ import annotations

from fastapi import APIRouter

from inbox_api.conversations import service
from inbox_api.conversations.schemas import ConversationReportIn, ConversationReportOut
from inbox_api.deps import ServiceCaller, SessionDep

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"])


@router.post("/reports", dependencies=[ServiceCaller])
async def report_conversation(
    body: ConversationReportIn, session: SessionDep
) -> ConversationReportOut:
    """Record where a conversation stands after a customer message (action server only)."""
    stored = await service.record(session, body)
    return ConversationReportOut(
        conversation_id=stored.conversation_id,
        channel=stored.channel,
        turns=stored.turns,
        started_at=stored.started_at,
        last_message_at=stored.last_message_at,
    )
