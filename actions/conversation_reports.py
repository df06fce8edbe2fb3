"""Where each conversation stands, reported to the inbox for containment (docs/contracts.md).

The inbox knows the conversations that reached a human (tickets) but not the ones the
assistant handled alone. After every customer message `action_validate_slot_mappings`
(actions/slot_mappings.py) sends the conversation's channel, language, first real intent,
number of customer messages and first and latest message times; the inbox keeps one row per
conversation and counts as contained every one that never got a ticket. Reports are
cumulative, so a lost one is repaired by the next message; the answer never waits more than
`ACTIONS_REVIEW_REPORT_TIMEOUT_SECONDS` for one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker

from actions.domain_names import (
    INTENT_AFFIRM,
    INTENT_BOT_CHALLENGE,
    INTENT_CHANGE_LANGUAGE,
    INTENT_DENY,
    INTENT_GOODBYE,
    INTENT_GREET,
    INTENT_NLU_FALLBACK,
    INTENT_THANK,
)
from actions.escalation_packet import keyed_intent
from actions.inbox_client import InboxClient, send_bookkeeping
from actions.settings import get_settings

# Messages that say nothing about what the customer came for.
SOCIAL_INTENTS = frozenset(
    {INTENT_GREET, INTENT_GOODBYE, INTENT_THANK, INTENT_AFFIRM, INTENT_DENY,
     INTENT_BOT_CHALLENGE, INTENT_CHANGE_LANGUAGE, INTENT_NLU_FALLBACK}
)
NO_INTENT = "other"


def _customer_messages(tracker: Tracker) -> list[Mapping[str, Any]]:
    """User events the customer wrote (or pressed), not the inbox's EXTERNAL_ triggers."""
    messages = []
    for event in tracker.events:
        if event.get("event") != "user":
            continue
        name = str(((event.get("parse_data") or {}).get("intent") or {}).get("name") or "")
        if name.startswith("EXTERNAL_"):
            continue
        messages.append(event)
    return messages


def _intent_of(event: Mapping[str, Any]) -> str | None:
    """The intent of a message, a retrieval intent with its answer key (faq/shipping_costs)."""
    parse = event.get("parse_data") or {}
    name = (parse.get("intent") or {}).get("name")
    if not name or name in SOCIAL_INTENTS:
        return None
    return keyed_intent(parse, str(name))


def _instant(event: Mapping[str, Any]) -> datetime:
    stamp = event.get("timestamp")
    if isinstance(stamp, int | float):
        return datetime.fromtimestamp(float(stamp), UTC)
    return datetime.now(UTC)


def conversation_report(tracker: Tracker, language: str) -> dict[str, Any] | None:
    """The report after the latest customer message, or None when there is none yet."""
    messages = _customer_messages(tracker)
    if not messages:
        return None
    intent = next((i for i in (_intent_of(m) for m in messages) if i), NO_INTENT)
    channel = str(messages[-1].get("input_channel") or tracker.get_latest_input_channel() or "")
    return {
        "channel": channel or "unknown",
        "conversation_id": tracker.sender_id,
        "language": language,
        "intent": intent[:100],
        "turns": len(messages),
        "started_at": _instant(messages[0]).isoformat(),
        "last_message_at": _instant(messages[-1]).isoformat(),
    }


class ConversationReporter:
    """Sends conversation reports to the inbox, never holding up the answer for long."""

    def __init__(
        self, inbox: InboxClient | None = None, timeout_seconds: float | None = None
    ) -> None:
        """Collaborators default to the configured inbox and report timeout."""
        self._inbox = inbox
        self._timeout_seconds = timeout_seconds

    async def report(self, tracker: Tracker, language: str) -> bool:
        """Report where the conversation stands; True if the inbox took it."""
        report = conversation_report(tracker, language)
        if report is None:
            return False
        timeout = self._timeout_seconds or get_settings().review_report_timeout_seconds
        inbox = self._inbox or InboxClient(timeout_seconds=timeout)
        return await send_bookkeeping(
            inbox.report_conversation(report), timeout, "conversation report", tracker.sender_id
        )
