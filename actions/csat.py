"""The satisfaction question after a colleague resolved the ticket (issue 15).

The inbox decides whether to ask (a colleague answered, never asked before, the channel
still takes a message) when the hand-back arrives; the buttons' answer and the optional
comment go back to it over HTTP with the service token. Whatever the inbox says, the
customer gets a polite answer in their language: a second answer or one after the survey
closed is thanked and ignored.
"""

from __future__ import annotations

import logging

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.domain_names import (
    ACTION_CSAT_ANSWER,
    ACTION_CSAT_COMMENT,
    ENTITY_CSAT_RATING,
    INTENT_AFFIRM,
    INTENT_CSAT_NO_COMMENT,
    INTENT_DENY,
    SLOT_CSAT_AWAITING_COMMENT,
    SLOT_CSAT_TICKET_ID,
    UTTER_CSAT_ALREADY_ANSWERED,
    UTTER_CSAT_CLOSED,
    UTTER_CSAT_COMMENT_GO_AHEAD,
    UTTER_CSAT_COMMENT_OFFER,
    UTTER_CSAT_COMMENT_THANKS,
    UTTER_CSAT_DONE,
    UTTER_CSAT_QUESTION_GOOD_BAD,
    UTTER_CSAT_QUESTION_ONE_TO_FIVE,
    UTTER_CSAT_UNAVAILABLE,
)
from actions.inbox_client import InboxClient, InboxUnavailable

logger = logging.getLogger(__name__)
QUESTIONS = {
    "good_bad": UTTER_CSAT_QUESTION_GOOD_BAD,
    "one_to_five": UTTER_CSAT_QUESTION_ONE_TO_FIVE,
}
# What the inbox answered -> what the customer hears.
ANSWER_REPLIES = {
    "recorded": UTTER_CSAT_COMMENT_OFFER,
    "already_answered": UTTER_CSAT_ALREADY_ANSWERED,
}
COMMENT_MAX_CHARS = 1000


async def ask_after_handback(
    inbox: InboxClient, delivery_id: str, conversation_id: str, dispatcher: CollectingDispatcher
) -> list[EventType]:
    """Ask the satisfaction question when the inbox says so; never fails the hand-back."""
    try:
        offer = await inbox.offer_csat(delivery_id, conversation_id)
    except InboxUnavailable as error:
        logger.warning("no satisfaction question for %s: %s", conversation_id, error)
        return []
    if offer is None or offer.scale not in QUESTIONS:
        return []
    dispatcher.utter_message(response=QUESTIONS[offer.scale])
    return [
        SlotSet(SLOT_CSAT_TICKET_ID, offer.ticket_id),
        SlotSet(SLOT_CSAT_AWAITING_COMMENT, False),
    ]


class ActionCsatAnswer(Action):  # type: ignore[misc]
    """Stores the rating the customer chose with the survey's buttons."""

    def __init__(self, inbox: InboxClient | None = None) -> None:
        """The inbox client defaults to the action server's settings."""
        self._inbox = inbox

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_CSAT_ANSWER

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Thanks the customer and offers a comment, or says politely why it is ignored."""
        ticket_id = tracker.get_slot(SLOT_CSAT_TICKET_ID)
        rating = next(tracker.get_latest_entity_values(ENTITY_CSAT_RATING), None)
        if not ticket_id or rating is None:
            dispatcher.utter_message(response=UTTER_CSAT_CLOSED)
            return [SlotSet(SLOT_CSAT_AWAITING_COMMENT, False)]
        try:
            status = await (self._inbox or InboxClient()).answer_csat(
                str(ticket_id), tracker.sender_id, str(rating)
            )
        except InboxUnavailable as error:
            logger.error("satisfaction answer for ticket %s not stored: %s", ticket_id, error)
            dispatcher.utter_message(response=UTTER_CSAT_UNAVAILABLE)
            return [SlotSet(SLOT_CSAT_AWAITING_COMMENT, False)]
        dispatcher.utter_message(response=ANSWER_REPLIES.get(status, UTTER_CSAT_CLOSED))
        return [SlotSet(SLOT_CSAT_AWAITING_COMMENT, status == "recorded")]


class ActionCsatComment(Action):  # type: ignore[misc]
    """Stores the optional comment after a rating (or takes a "no, thanks")."""

    def __init__(self, inbox: InboxClient | None = None) -> None:
        """The inbox client defaults to the action server's settings."""
        self._inbox = inbox

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_CSAT_COMMENT

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Sends the customer's text as the comment; the survey ends either way."""
        # The ticket stays known: tapping a rating again is answered "we have it already".
        done = [SlotSet(SLOT_CSAT_AWAITING_COMMENT, False)]
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        ticket_id = tracker.get_slot(SLOT_CSAT_TICKET_ID)
        text = (tracker.latest_message.get("text") or "").strip()
        if intent in (INTENT_CSAT_NO_COMMENT, INTENT_DENY) or not ticket_id:
            dispatcher.utter_message(response=UTTER_CSAT_DONE)
            return done
        if intent == INTENT_AFFIRM or not text or text.startswith("/"):
            # "Yes" alone is not the comment: the next message is.
            dispatcher.utter_message(response=UTTER_CSAT_COMMENT_GO_AHEAD)
            return [SlotSet(SLOT_CSAT_AWAITING_COMMENT, True)]
        try:
            status = await (self._inbox or InboxClient()).comment_csat(
                str(ticket_id), tracker.sender_id, text[:COMMENT_MAX_CHARS]
            )
        except InboxUnavailable as error:
            logger.error("satisfaction comment for ticket %s not stored: %s", ticket_id, error)
            dispatcher.utter_message(response=UTTER_CSAT_UNAVAILABLE)
            return done
        dispatcher.utter_message(
            response=UTTER_CSAT_COMMENT_THANKS if status == "recorded" else UTTER_CSAT_CLOSED
        )
        return done
