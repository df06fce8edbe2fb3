"""What the inbox delivers through Rasa: a colleague's reply and the hand-back (docs/contracts.md).

Both arrive as trigger_intent calls carrying the delivery id and the inbox's signature
(kit/delivery_signature.py). Only a valid signature lets a text speak as the brand or end a
colleague's ownership; anything else is refused and logged, never its text.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.csat import ask_after_handback
from actions.domain_names import (
    ACTION_HANDBACK,
    ACTION_RELAY_AGENT_MESSAGE,
    ENTITY_AGENT_MESSAGE,
    ENTITY_DELIVERY_ID,
    ENTITY_DELIVERY_SIGNATURE,
    INTENT_EXTERNAL_AGENT_MESSAGE,
    INTENT_EXTERNAL_HANDBACK,
    SLOT_AGENT_MESSAGE,
    SLOT_HUMAN_OWNED,
    SLOT_TICKET_ID,
    UTTER_HANDBACK,
)
from actions.inbox_client import InboxClient, InboxUnavailable
from actions.settings import get_settings
from kit.delivery_signature import is_signed_delivery

logger = logging.getLogger(__name__)
# docs/contracts.md: the inbox's marker for the approved WhatsApp template (past 24 hours).
TEMPLATE = re.compile(r"\[\[template:(?P<name>[a-z0-9_]{1,64}):(?P<language>nl|en)\]\]")


@dataclass(frozen=True)
class SignedDelivery:
    """A delivery whose signature verified: its id (unique per inbox) and its text."""

    delivery_id: str
    text: str


def signed_delivery(tracker: Tracker, intent: str, secret: str) -> SignedDelivery | None:
    """The latest message as a delivery of `intent` signed by the inbox, or None (logged)."""
    latest_intent = (tracker.latest_message.get("intent") or {}).get("name")
    delivery_id = next(tracker.get_latest_entity_values(ENTITY_DELIVERY_ID), None)
    signature = next(tracker.get_latest_entity_values(ENTITY_DELIVERY_SIGNATURE), None)
    text = next(tracker.get_latest_entity_values(ENTITY_AGENT_MESSAGE), None)
    text = "" if text is None and intent == INTENT_EXTERNAL_HANDBACK else text
    if latest_intent == intent and is_signed_delivery(
        secret, intent, tracker.sender_id, delivery_id, text, signature
    ):
        assert isinstance(delivery_id, str) and isinstance(text, str)
        return SignedDelivery(delivery_id, text)
    # Who and what, never the text: it may be anything a stranger typed.
    logger.warning(
        "refused %s in conversation %s (latest intent %s, channel %s): %s",
        intent,
        tracker.sender_id,
        latest_intent,
        tracker.get_latest_input_channel(),
        "no DELIVERY_SIGNING_SECRET configured" if not secret else "no valid inbox signature",
    )
    return None


class ActionRelayAgentMessage(Action):  # type: ignore[misc]
    """Delivers a colleague's reply verbatim, when the inbox signed it, once per delivery id."""

    def __init__(self, signing_secret: str | None = None, inbox: InboxClient | None = None) -> None:
        """The secret defaults to the action server's DELIVERY_SIGNING_SECRET."""
        self._secret = signing_secret
        self._inbox = inbox

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_RELAY_AGENT_MESSAGE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Sends the text exactly as the colleague wrote it; says nothing when unsigned."""
        secret = get_settings().delivery_signing_secret if self._secret is None else self._secret
        # The reply lives in the event; the slot filled from the entity must not keep a copy.
        clear = [SlotSet(SLOT_AGENT_MESSAGE, None)]
        delivery = signed_delivery(tracker, INTENT_EXTERNAL_AGENT_MESSAGE, secret)
        if delivery is None:
            return clear
        if not delivery.text.strip():
            logger.warning(
                "agent message %s for %s arrived without text",
                delivery.delivery_id,
                tracker.sender_id,
            )
            return clear
        if not await self._first_relay(delivery, tracker.sender_id):
            return clear
        # The delivery id rides along to the channel connector (Rasa passes an utterance's
        # extra keys to the output channel), so WhatsApp's later status callbacks find the reply.
        template = TEMPLATE.fullmatch(delivery.text)
        if template:
            dispatcher.utter_message(
                json_message={
                    "whatsapp_template": {
                        "name": template["name"],
                        "language": template["language"],
                    }
                },
                inbox_delivery_id=delivery.delivery_id,
            )
        else:
            dispatcher.utter_message(text=delivery.text, inbox_delivery_id=delivery.delivery_id)
        return clear

    async def _first_relay(self, delivery: SignedDelivery, conversation_id: str) -> bool:
        """Whether the inbox lets this delivery through (it remembers every id it let through)."""
        inbox = self._inbox or InboxClient()
        try:
            first = await inbox.claim_relay(delivery.delivery_id, conversation_id)
        except InboxUnavailable as error:
            # Better a rare double than a lost reply: the signature already proved it is ours.
            logger.error(
                "could not ask the inbox about delivery %s of %s (%s); relaying it",
                delivery.delivery_id,
                conversation_id,
                error,
            )
            return True
        if not first:
            logger.warning(
                "dropped delivery %s in conversation %s: already relayed or unknown to the inbox",
                delivery.delivery_id,
                conversation_id,
            )
        return first


class ActionHandback(Action):  # type: ignore[misc]
    """Gives the conversation back to the assistant when the inbox resolved the ticket."""

    def __init__(
        self, signing_secret: str | None = None, inbox: InboxClient | None = None
    ) -> None:
        """The secret defaults to the action server's DELIVERY_SIGNING_SECRET."""
        self._secret = signing_secret
        self._inbox = inbox

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_HANDBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Clears the hand-off state, says that we're back, and asks the satisfaction question
        when the inbox wants it asked (in the customer's language)."""
        secret = get_settings().delivery_signing_secret if self._secret is None else self._secret
        delivery = signed_delivery(tracker, INTENT_EXTERNAL_HANDBACK, secret)
        if delivery is None:
            return []
        dispatcher.utter_message(response=UTTER_HANDBACK)
        survey = await ask_after_handback(
            self._inbox or InboxClient(), delivery.delivery_id, tracker.sender_id, dispatcher
        )
        return [SlotSet(SLOT_HUMAN_OWNED, False), SlotSet(SLOT_TICKET_ID, None), *survey]
