"""Messages the assistant answered while unsure, queued for the trainers (docs/contracts.md).

When the customer picks one of `action_clarify`'s buttons, the ambiguous message they wrote
goes to the inbox's review queue (source `clarified`) with the intent ranking it had. The
report is sent from `action_validate_slot_mappings` (actions/slot_mappings.py), the action
Rasa runs after every customer message, so no rule or story changes for it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from rasa_sdk import Tracker

from actions.clarification import clarification_candidates
from actions.domain_names import ACTION_CLARIFY, INTENT_NLU_FALLBACK
from actions.escalation_packet import (
    INTENT_LIMIT,
    is_button_press,
    is_payload,
    last_action_before_latest_message,
)
from actions.inbox_client import InboxClient, send_bookkeeping
from actions.language import conversation_language
from actions.settings import get_settings

logger = logging.getLogger(__name__)

SOURCE_CLARIFIED = "clarified"


def _clarified_message(tracker: Tracker) -> Mapping[str, Any] | None:
    """The customer message `action_clarify` asked about (the one before the latest)."""
    users = [event for event in tracker.events if event.get("event") == "user"]
    return users[-2] if len(users) >= 2 else None


def clarified_report(tracker: Tracker) -> dict[str, Any] | None:
    """The review report for a clarification button just pressed, else None."""
    latest = tracker.latest_message or {}
    chosen = (latest.get("intent") or {}).get("name")
    if not is_payload(str(latest.get("text") or "")):
        return None
    if last_action_before_latest_message(tracker) != ACTION_CLARIFY:
        return None
    original = _clarified_message(tracker)
    if original is None:
        return None
    text = original.get("text")
    if not isinstance(text, str) or not text.strip() or is_button_press(original):
        return None
    ranking = (original.get("parse_data") or {}).get("intent_ranking") or []
    # Only a pick among the offered readings counts; "neither" (/deny) is escalated instead.
    if chosen not in clarification_candidates(ranking):
        return None
    return {
        "language": conversation_language(tracker),
        # The conversation, so erasing this customer in the inbox removes the report too.
        "channel": (tracker.get_latest_input_channel() or "rest")[:50],
        "conversation_id": str(tracker.sender_id)[:200],
        "source": SOURCE_CLARIFIED,
        "text": text,
        # nlu_fallback is the verdict on the ranking, not an intent a trainer can label.
        "intents": [
            {"name": str(item["name"]), "confidence": float(item.get("confidence") or 0.0)}
            for item in ranking
            if item.get("name") and item.get("name") != INTENT_NLU_FALLBACK
        ][:INTENT_LIMIT],
    }


class ReviewReporter:
    """Queues clarified messages in the inbox's review queue, never holding up the answer."""

    def __init__(
        self, inbox: InboxClient | None = None, timeout_seconds: float | None = None
    ) -> None:
        """Collaborators default to the configured inbox and report timeout."""
        self._inbox = inbox
        self._timeout_seconds = timeout_seconds

    async def report_clarification(self, tracker: Tracker) -> bool:
        """Report the message if the customer just picked a clarification; True if queued."""
        report = clarified_report(tracker)
        if report is None:
            return False
        timeout = self._timeout_seconds or get_settings().review_report_timeout_seconds
        inbox = self._inbox or InboxClient(timeout_seconds=timeout)
        sent = await send_bookkeeping(
            inbox.report_for_review(report), timeout, "review report", tracker.sender_id
        )
        if sent:
            logger.info(
                "clarified message of conversation %s queued for review", tracker.sender_id
            )
        return sent
