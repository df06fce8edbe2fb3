"""Escalation to the human inbox (docs/contracts.md).

`action_escalate` opens a ticket and `action_forward_to_inbox` passes on each customer
message while a colleague owns the conversation. The colleague's replies and the
hand-back come back signed by the inbox: actions/inbox_deliveries.py.
The inbox is reached through actions/inbox_client.py; the packet is read from the tracker
by actions/escalation_packet.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.domain_names import (
    ACTION_ESCALATE,
    ACTION_FORWARD_TO_INBOX,
    REASON_CUSTOMER_MESSAGE,
    SLOT_HUMAN_OWNED,
    SLOT_TICKET_ID,
    SLOT_VERIFICATION_LOCKOUT,
    UTTER_ESCALATED,
    UTTER_ESCALATED_NO_TIME,
    UTTER_ESCALATION_FAILED,
    UTTER_FORWARD_FAILED,
)
from actions.escalation_packet import escalation_packet, escalation_reason
from actions.inbox_client import InboxClient, InboxUnavailable
from actions.language import conversation_language
from actions.localised_formats import format_due
from kit.clock import utc_now

logger = logging.getLogger(__name__)


class ActionEscalate(Action):  # type: ignore[misc]
    """Hands the conversation to a colleague and tells the customer when to expect an answer."""

    def __init__(
        self,
        inbox: InboxClient | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """Collaborators default to the real inbox and the wall clock."""
        self._inbox = inbox
        self._clock = clock or utc_now

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_ESCALATE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Opens (or joins) the ticket; on failure apologises and keeps the assistant in charge."""
        language = conversation_language(tracker)
        reason = escalation_reason(tracker)
        inbox = self._inbox or InboxClient()
        try:
            receipt = await inbox.escalate(escalation_packet(tracker, reason))
        except InboxUnavailable as error:
            logger.error(
                "escalation of conversation %s failed (%s)", tracker.sender_id, error
            )
            dispatcher.utter_message(response=UTTER_ESCALATION_FAILED)
            return [SlotSet(SLOT_HUMAN_OWNED, False)]
        logger.info(
            "conversation %s escalated as ticket %s (%s)",
            tracker.sender_id, receipt.ticket_id, reason,
        )
        if receipt.first_response_due_at is not None:
            due = format_due(receipt.first_response_due_at, language, self._clock())
            dispatcher.utter_message(response=UTTER_ESCALATED, due=due)
        else:
            dispatcher.utter_message(response=UTTER_ESCALATED_NO_TIME)
        events: list[EventType] = [
            SlotSet(SLOT_HUMAN_OWNED, True),
            SlotSet(SLOT_TICKET_ID, receipt.ticket_id),
        ]
        if tracker.get_slot(SLOT_VERIFICATION_LOCKOUT):
            # The colleague has it in the ticket; later messages need not repeat it.
            events.append(SlotSet(SLOT_VERIFICATION_LOCKOUT, None))
        if tracker.active_loop.get("name"):
            events.append(ActiveLoop(None))
        return events


class ActionForwardToInbox(Action):  # type: ignore[misc]
    """While a colleague owns the conversation, passes each customer message on silently."""

    def __init__(self, inbox: InboxClient | None = None) -> None:
        """The inbox client defaults to the configured inbox."""
        self._inbox = inbox

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_FORWARD_TO_INBOX

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Forwards the message; says something only when it could not be delivered."""
        inbox = self._inbox or InboxClient()
        try:
            await inbox.escalate(escalation_packet(tracker, REASON_CUSTOMER_MESSAGE))
        except InboxUnavailable as error:
            logger.error(
                "forwarding a message of conversation %s failed (%s)", tracker.sender_id, error
            )
            dispatcher.utter_message(response=UTTER_FORWARD_FAILED)
        return []
