"""Slot validation of the three forms: order lookup, return start and event signup.

A rejected value is answered with what was wrong and set back to None, so the form asks
again; nothing the customer typed before is lost. The rejection only says what was wrong
(FORM_REJECTIONS hold no question): the form's own `utter_ask_*` asks, so a reply never
asks the same thing twice. What the customer named when starting the form ("I want to
return the Lina dress") is not asked for again.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.catalogue_access import CatalogueFormValidation, slot_text
from actions.domain_names import (
    ACTION_ESCALATE,
    ACTION_VALIDATE_EVENT_SIGNUP_FORM,
    ACTION_VALIDATE_ORDER_LOOKUP_FORM,
    ACTION_VALIDATE_RETURN_START_FORM,
    FORM_RETURN_START,
    SLOT_ATTENDEE_EMAIL,
    SLOT_ATTENDEE_NAME,
    SLOT_EVENT,
    SLOT_ORDER_NUMBER,
    SLOT_PLACES,
    SLOT_RETURN_ITEM,
    SLOT_RETURN_REASON,
    SLOT_VERIFICATION,
    SLOT_VERIFICATION_LOCKOUT,
)
from actions.events import (
    MAX_PLACES,
    UTTER_EVENT_FULL,
    UTTER_EVENT_NOT_ENOUGH_PLACES,
    UTTER_PLACES_INVALID,
    explain_unavailable,
    parse_places,
)
from actions.language import conversation_language
from actions.order_verification import (
    UTTER_ORDER_NUMBER_INVALID,
    UTTER_VERIFICATION_INVALID,
    Lockout,
    check_claim,
    order_claim,
)
from actions.returns import (
    FORGET_RETURN,
    UTTER_RETURN_ALREADY_STARTED,
    UTTER_RETURN_ITEM_NOT_IN_ORDER,
    UTTER_RETURN_ITEM_NOT_RETURNABLE,
    explain_refusal,
    order_items,
)
from catalogue.models import Order
from catalogue.repository import ReturnRefusal
from catalogue.verification import parse_order_number, parse_verification

UTTER_RETURN_REASON_MISSING = "utter_return_reason_missing"
UTTER_RETURN_ITEM_NOT_AN_ITEM = "utter_return_item_not_an_item"
UTTER_ATTENDEE_NAME_INVALID = "utter_attendee_name_invalid"
UTTER_ATTENDEE_EMAIL_INVALID = "utter_attendee_email_invalid"

# What the validators say when they refuse a value; the form asks the question after them.
FORM_REJECTIONS = (
    UTTER_ORDER_NUMBER_INVALID, UTTER_VERIFICATION_INVALID, UTTER_RETURN_ITEM_NOT_IN_ORDER,
    UTTER_RETURN_ITEM_NOT_RETURNABLE, UTTER_RETURN_ALREADY_STARTED, UTTER_RETURN_ITEM_NOT_AN_ITEM,
    UTTER_RETURN_REASON_MISSING, UTTER_ATTENDEE_NAME_INVALID, UTTER_ATTENDEE_EMAIL_INVALID,
    UTTER_PLACES_INVALID, UTTER_EVENT_NOT_ENOUGH_PLACES,
)
# The whole order cannot be returned: asking for another item (or number) would not help.
ORDER_REFUSALS = frozenset({ReturnRefusal.NOT_DELIVERED, ReturnRefusal.OUTSIDE_WINDOW})

SlotValues = dict[str, Any]
SLOT_REQUESTED = "requested_slot"

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]{2,}$")
_MAX_REASON = 500


def validated_order_number(value: Any, dispatcher: CollectingDispatcher) -> SlotValues:
    """Six digits, or a message saying what an order number looks like."""
    number = parse_order_number(str(value) if value is not None else None)
    if number is None:
        dispatcher.utter_message(response=UTTER_ORDER_NUMBER_INVALID)
    return {SLOT_ORDER_NUMBER: number}


def validated_verification(value: Any, dispatcher: CollectingDispatcher) -> SlotValues:
    """An email or postcode (normalised), or a message asking for one."""
    verification = parse_verification(str(value) if value is not None else None)
    if verification is None:
        dispatcher.utter_message(response=UTTER_VERIFICATION_INVALID)
        return {SLOT_VERIFICATION: None}
    return {SLOT_VERIFICATION: verification.value}


def form_request(tracker: Tracker, form: str) -> dict[str, Any]:
    """The parse data of the customer message that started the form's current run."""
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and event.get("name") == form:
            started = True
        elif started and event.get("event") == "user":
            parsed = event.get("parse_data")
            return dict(parsed) if isinstance(parsed, dict) else {}
    return {}


def named_items(parse_data: dict[str, Any]) -> list[str]:
    """Products, then kinds of product, the message named ("my Lina dress", "the jeans")."""
    entities = parse_data.get("entities") or []
    return [
        str(entity["value"]).strip()
        for kind in ("product", "category")
        for entity in entities
        if entity.get("entity") == kind and str(entity.get("value") or "").strip()
    ]


def looks_like_order_details(text: str) -> bool:
    """Whether an answer is an order number, email address or postcode rather than an item."""
    return parse_order_number(text) is not None or parse_verification(text) is not None


def start_again(failed: Lockout | None) -> SlotValues:
    """Ask from the order number again; a lockout note makes `run` stop the form instead."""
    # A wrong pair reveals nothing about the order, so the number is asked again too.
    values: SlotValues = {SLOT_ORDER_NUMBER: None, SLOT_VERIFICATION: None}
    if failed is not None:
        values[SLOT_VERIFICATION_LOCKOUT] = failed.note
    return values


class ValidateOrderLookupForm(CatalogueFormValidation):
    """Checks the format of the order number and of the email or postcode."""

    def name(self) -> str:
        """The validator's name in domain.yml."""
        return ACTION_VALIDATE_ORDER_LOOKUP_FORM

    async def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> SlotValues:
        """Six digits."""
        return validated_order_number(value, dispatcher)

    async def validate_verification(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> SlotValues:
        """An email address or a postcode; the pair itself is checked by the answering action."""
        return validated_verification(value, dispatcher)


class ValidateReturnStartForm(CatalogueFormValidation):
    """Verifies the order before asking which item, then checks the item against the order."""

    def name(self) -> str:
        """The validator's name in domain.yml."""
        return ACTION_VALIDATE_RETURN_START_FORM

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Stop the form and call a colleague when verification of the order is locked."""
        events = await super().run(dispatcher, tracker, domain)
        locked = any(
            event.get("event") == "slot"
            and event.get("name") == SLOT_VERIFICATION_LOCKOUT
            and event.get("value")
            for event in events
        )
        if not locked:
            return events
        stop = [ActiveLoop(None), SlotSet(SLOT_REQUESTED, None), *FORGET_RETURN]
        return [*events, *stop, FollowupAction(ACTION_ESCALATE)]

    async def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> SlotValues:
        """Six digits."""
        return validated_order_number(value, dispatcher)

    async def validate_verification(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> SlotValues:
        """The pair must match a delivered order still inside the return window."""
        if validated_verification(value, dispatcher)[SLOT_VERIFICATION] is None:
            return {SLOT_VERIFICATION: None}
        claim = order_claim(slot_text(tracker, SLOT_ORDER_NUMBER), str(value), dispatcher)
        if claim is None:
            return {SLOT_ORDER_NUMBER: None, SLOT_VERIFICATION: None}
        checked = await check_claim(self.catalogue, claim, tracker, dispatcher)
        if not isinstance(checked, Order):
            return start_again(checked)
        check = self.catalogue.check_return(checked, None)
        if check.refusal in ORDER_REFUSALS:
            # Nothing to ask any more: the form ends and action_return_start says why.
            return {SLOT_VERIFICATION: claim.verification.value, SLOT_REQUESTED: None}
        if check.refusal is not None:
            explain_refusal(check, None, dispatcher, conversation_language(tracker))
            return {SLOT_ORDER_NUMBER: None, SLOT_VERIFICATION: None}
        verified: SlotValues = {SLOT_VERIFICATION: claim.verification.value}
        if tracker.get_slot(SLOT_RETURN_ITEM) is None:
            verified.update(self._item_named_at_start(checked, tracker, dispatcher))
        return verified

    def _item_named_at_start(
        self, order: Order, tracker: Tracker, dispatcher: CollectingDispatcher
    ) -> SlotValues:
        """The item the customer named when asking for the return, if this order can take it."""
        language = conversation_language(tracker)
        for item in named_items(form_request(tracker, FORM_RETURN_START)):
            check = self.catalogue.check_return(order, item)
            if check.refusal is None and check.line is not None:
                return {SLOT_RETURN_ITEM: check.line.variant.product.name(language)}
            explain_refusal(check, item, dispatcher, language)
            break
        return {}

    async def validate_return_item(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> SlotValues:
        """An item of this order that can be returned and is not being returned already."""
        item = str(value or "").strip()
        claim = order_claim(
            slot_text(tracker, SLOT_ORDER_NUMBER),
            slot_text(tracker, SLOT_VERIFICATION),
            CollectingDispatcher(),
        )
        if claim is None:
            return {SLOT_RETURN_ITEM: None}
        # The pair was checked when it was given; this reads the order (and counts as a try).
        checked = await check_claim(self.catalogue, claim, tracker, dispatcher)
        if not isinstance(checked, Order):
            return {SLOT_RETURN_ITEM: None, **start_again(checked)}
        language = conversation_language(tracker)
        if looks_like_order_details(item):
            # A postcode or order number typed again: we have it; the form asks for the item.
            items = order_items(checked, language)
            dispatcher.utter_message(response=UTTER_RETURN_ITEM_NOT_AN_ITEM, items=items)
            return {SLOT_RETURN_ITEM: None}
        check = self.catalogue.check_return(checked, item)
        if check.refusal is not None or check.line is None:
            explain_refusal(check, item, dispatcher, language)
            return {SLOT_RETURN_ITEM: None}
        return {SLOT_RETURN_ITEM: check.line.variant.product.name(language)}

    async def validate_return_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> SlotValues:
        """A few words of reason (kept to 500 characters)."""
        reason = " ".join(str(value or "").split())
        if len(reason) < 2:
            dispatcher.utter_message(response=UTTER_RETURN_REASON_MISSING)
            return {SLOT_RETURN_REASON: None}
        return {SLOT_RETURN_REASON: reason[:_MAX_REASON]}


class ValidateEventSignupForm(CatalogueFormValidation):
    """Checks the event can take signups, then name, email and number of places."""

    def name(self) -> str:
        """The validator's name in domain.yml."""
        return ACTION_VALIDATE_EVENT_SIGNUP_FORM

    async def validate_event(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> SlotValues:
        """An upcoming event that needs registration and has places left."""
        asked = str(value or "").strip()
        event = await self.catalogue.find_event(asked) if asked else None
        language = conversation_language(tracker)
        if await explain_unavailable(self.catalogue, event, asked, dispatcher, language):
            return {SLOT_EVENT: None}
        assert event is not None
        return {SLOT_EVENT: event.title(language)}

    async def validate_attendee_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> SlotValues:
        """Two to a hundred characters, with at least one letter."""
        name = " ".join(str(value or "").split())
        if not 2 <= len(name) <= 100 or not any(ch.isalpha() for ch in name):
            dispatcher.utter_message(response=UTTER_ATTENDEE_NAME_INVALID)
            return {SLOT_ATTENDEE_NAME: None}
        return {SLOT_ATTENDEE_NAME: name}

    async def validate_attendee_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> SlotValues:
        """A plausible email address, lower-cased."""
        email = str(value or "").strip().strip(".,;").lower()
        if len(email) > 254 or not _EMAIL.match(email):
            dispatcher.utter_message(response=UTTER_ATTENDEE_EMAIL_INVALID)
            return {SLOT_ATTENDEE_EMAIL: None}
        return {SLOT_ATTENDEE_EMAIL: email}

    async def validate_places(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> SlotValues:
        """One to MAX_PLACES, and no more than the event has left."""
        places = parse_places(str(value) if value is not None else None)
        if places is None:
            dispatcher.utter_message(response=UTTER_PLACES_INVALID, max_places=MAX_PLACES)
            return {SLOT_PLACES: None}
        event_name = slot_text(tracker, SLOT_EVENT)
        event = await self.catalogue.find_event(event_name) if event_name else None
        left = event.places_left() if event else None
        if event is not None and left == 0:
            language = conversation_language(tracker)
            dispatcher.utter_message(response=UTTER_EVENT_FULL, title=event.title(language))
            return {SLOT_PLACES: None, SLOT_EVENT: None}
        if event is not None and left is not None and places > left:
            language = conversation_language(tracker)
            dispatcher.utter_message(
                response=UTTER_EVENT_NOT_ENOUGH_PLACES,
                title=event.title(language),
                places_left=left,
            )
            return {SLOT_PLACES: None}
        return {SLOT_PLACES: str(places)}
