"""Proving an order is yours: the order number with its email or postcode, and the lockout.

Order status, refund status and returns all go through `order_claim`, so the checks and
what the customer is told stay the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue_access import slot_text
from actions.domain_names import ACTION_ESCALATE, SLOT_ORDER_NUMBER, SLOT_VERIFICATION
from catalogue.verification import Verification, parse_order_number, parse_verification

UTTER_ORDER_NUMBER_INVALID = "utter_order_number_invalid"
UTTER_VERIFICATION_INVALID = "utter_verification_invalid"
UTTER_ORDER_NOT_VERIFIED = "utter_order_not_verified"
UTTER_ORDER_VERIFICATION_LOCKED = "utter_order_verification_locked"

# Wrong order/pair answers allowed per conversation before a colleague takes over: enough for
# typos, too few to guess someone's postcode.
MAX_VERIFICATION_FAILURES = 3


@dataclass(frozen=True)
class OrderClaim:
    """An order number and the email or postcode given with it, both well-formed."""

    number: str
    verification: Verification


def verification_failures(tracker: Tracker) -> int:
    """How often this conversation was told an order number and pair did not match."""
    return sum(
        1
        for event in tracker.events
        if event.get("event") == "bot"
        and (event.get("metadata") or {}).get("utter_action") == UTTER_ORDER_NOT_VERIFIED
    )


def verification_locked(tracker: Tracker, dispatcher: CollectingDispatcher) -> bool:
    """True (and the customer told so) once the conversation used up its verification tries."""
    if verification_failures(tracker) < MAX_VERIFICATION_FAILURES:
        return False
    dispatcher.utter_message(response=UTTER_ORDER_VERIFICATION_LOCKED)
    return True


def order_claim(
    tracker: Tracker, dispatcher: CollectingDispatcher, forget: list[EventType]
) -> OrderClaim | list[EventType]:
    """The claim in the slots, or the events that end the attempt (the customer told why).

    `forget` clears the slots the caller collected; a locked conversation also goes to a
    colleague.
    """
    if verification_locked(tracker, dispatcher):
        return [*forget, FollowupAction(ACTION_ESCALATE)]
    number = parse_order_number(slot_text(tracker, SLOT_ORDER_NUMBER))
    if number is None:
        dispatcher.utter_message(response=UTTER_ORDER_NUMBER_INVALID)
        return forget
    verification = parse_verification(slot_text(tracker, SLOT_VERIFICATION))
    if verification is None:
        dispatcher.utter_message(response=UTTER_VERIFICATION_INVALID)
        return forget
    return OrderClaim(number, verification)
