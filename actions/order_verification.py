"""Proving an order is yours: the order number with its email or postcode, and the lockout.

Order status, refund status and returns all go through `verified_order`, so the checks,
the attempt limits (kept in the database by `Catalogue.verify_order`, per order number and
per customer, across conversations) and what the customer is told stay the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue_access import slot_text
from actions.domain_names import (
    ACTION_ESCALATE,
    SLOT_ORDER_NUMBER,
    SLOT_VERIFICATION,
    SLOT_VERIFICATION_LOCKOUT,
)
from actions.localised_formats import format_time
from catalogue.models import Order
from catalogue.repository import Catalogue
from catalogue.return_policy import STORE_TIMEZONE
from catalogue.verification import Verification, parse_order_number, parse_verification

UTTER_ORDER_NUMBER_INVALID = "utter_order_number_invalid"
UTTER_VERIFICATION_INVALID = "utter_verification_invalid"
UTTER_ORDER_NOT_VERIFIED = "utter_order_not_verified"
UTTER_ORDER_VERIFICATION_LOCKED = "utter_order_verification_locked"

_CUSTOMER_LIMIT = 260


@dataclass(frozen=True)
class OrderClaim:
    """An order number and the email or postcode given with it, both well-formed."""

    number: str
    verification: Verification


@dataclass(frozen=True)
class Lockout:
    """Verification of this claim is locked; the customer was told until when."""

    note: str

    def events(self) -> list[EventType]:
        """Keep the note for the escalation packet (a colleague sees it) and escalate."""
        return [SlotSet(SLOT_VERIFICATION_LOCKOUT, self.note), FollowupAction(ACTION_ESCALATE)]


def customer_identity(tracker: Tracker) -> str:
    """Who is trying: the channel and sender id (a new session keeps the same identity)."""
    channel = tracker.get_latest_input_channel() or "rest"
    return f"{channel}:{tracker.sender_id}"[:_CUSTOMER_LIMIT]


def lockout_note(number: str, until: datetime) -> str:
    """What a colleague reads in the escalation: which order is locked and until when."""
    local = until.astimezone(STORE_TIMEZONE).isoformat(timespec="minutes")
    return f"order {number}: too many wrong email/postcode tries, locked until {local}"


def order_claim(
    number_text: str | None, verification_text: str | None, dispatcher: CollectingDispatcher
) -> OrderClaim | None:
    """A well-formed claim, or None with the customer told what is wrong with it."""
    number = parse_order_number(number_text)
    if number is None:
        dispatcher.utter_message(response=UTTER_ORDER_NUMBER_INVALID)
        return None
    verification = parse_verification(verification_text)
    if verification is None:
        dispatcher.utter_message(response=UTTER_VERIFICATION_INVALID)
        return None
    return OrderClaim(number, verification)


async def check_claim(
    catalogue: Catalogue,
    claim: OrderClaim,
    tracker: Tracker,
    dispatcher: CollectingDispatcher,
) -> Order | Lockout | None:
    """The order for the right pair; a Lockout; or None (the customer told it did not match)."""
    outcome = await catalogue.verify_order(
        claim.number, claim.verification, customer_identity(tracker)
    )
    if outcome.locked_until is not None:
        dispatcher.utter_message(
            response=UTTER_ORDER_VERIFICATION_LOCKED, until=format_time(outcome.locked_until)
        )
        return Lockout(lockout_note(claim.number, outcome.locked_until))
    if outcome.order is None:
        # Same words whether the order is missing or the pair is wrong.
        dispatcher.utter_message(response=UTTER_ORDER_NOT_VERIFIED)
    return outcome.order


async def verified_order(
    catalogue: Catalogue,
    tracker: Tracker,
    dispatcher: CollectingDispatcher,
    forget: list[EventType],
) -> Order | list[EventType]:
    """The order the slots claim, or the events that end the attempt (the customer told why).

    `forget` clears the slots the caller collected; a lockout also goes to a colleague.
    """
    claim = order_claim(
        slot_text(tracker, SLOT_ORDER_NUMBER), slot_text(tracker, SLOT_VERIFICATION), dispatcher
    )
    if claim is None:
        return forget
    checked = await check_claim(catalogue, claim, tracker, dispatcher)
    if isinstance(checked, Lockout):
        return [*forget, *checked.events()]
    return forget if checked is None else checked
