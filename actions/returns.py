"""The return policy, and starting a return for an item of a verified order."""

from __future__ import annotations

from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue_access import CatalogueAction, slot_text
from actions.domain_names import (
    ACTION_RETURN_POLICY,
    ACTION_RETURN_START,
    SLOT_ORDER_NUMBER,
    SLOT_RETURN_ITEM,
    SLOT_RETURN_REASON,
    SLOT_VERIFICATION,
)
from actions.localised_formats import country_name, format_day, format_list, format_price
from actions.order_verification import UTTER_ORDER_NOT_VERIFIED, verified_order
from catalogue.models import Order
from catalogue.repository import ReturnCheck, ReturnRefusal
from catalogue.return_policy import (
    FREE_RETURN_COUNTRIES,
    NON_RETURNABLE_CATEGORIES,
    REFUND_BUSINESS_DAYS,
    RETURN_SHIP_WITHIN_DAYS,
    RETURN_WINDOW_DAYS,
    return_deadline,
)
from catalogue.vocabulary import category_label

UTTER_RETURN_POLICY = "utter_return_policy"
UTTER_RETURN_CREATED = "utter_return_created"
UTTER_RETURN_NOT_DELIVERED = "utter_return_not_delivered"
UTTER_RETURN_OUTSIDE_WINDOW = "utter_return_outside_window"
UTTER_RETURN_ITEM_NOT_IN_ORDER = "utter_return_item_not_in_order"
UTTER_RETURN_ITEM_NOT_RETURNABLE = "utter_return_item_not_returnable"
UTTER_RETURN_ALREADY_STARTED = "utter_return_already_started"

FORGET_RETURN: list[EventType] = [
    SlotSet(SLOT_ORDER_NUMBER, None),
    SlotSet(SLOT_VERIFICATION, None),
    SlotSet(SLOT_RETURN_ITEM, None),
    SlotSet(SLOT_RETURN_REASON, None),
]


def excluded_categories(language: str) -> str:
    """ "earrings and underwear" / "oorbellen en ondergoed"."""
    labels = [category_label(key, language) for key in sorted(NON_RETURNABLE_CATEGORIES)]
    return format_list(labels, language)


def order_items(order: Order, language: str) -> str:
    """The product names in an order, as a list for a sentence."""
    names = [line.variant.product.name(language) for line in order.lines]
    return format_list(list(dict.fromkeys(names)), language)


def explain_refusal(
    check: ReturnCheck, item: str | None, dispatcher: CollectingDispatcher, language: str
) -> None:
    """Tell the customer why this return cannot be started."""
    order, refusal = check.order, check.refusal
    if refusal is ReturnRefusal.NOT_VERIFIED or order is None:
        dispatcher.utter_message(response=UTTER_ORDER_NOT_VERIFIED)
    elif refusal is ReturnRefusal.NOT_DELIVERED:
        dispatcher.utter_message(response=UTTER_RETURN_NOT_DELIVERED, order_number=order.number)
    elif refusal is ReturnRefusal.OUTSIDE_WINDOW and order.delivered_at is not None:
        dispatcher.utter_message(
            response=UTTER_RETURN_OUTSIDE_WINDOW,
            order_number=order.number,
            delivered_date=format_day(order.delivered_at, language),
            deadline=format_day(return_deadline(order.delivered_at), language),
            days=RETURN_WINDOW_DAYS,
        )
    elif refusal is ReturnRefusal.ITEM_NOT_IN_ORDER:
        dispatcher.utter_message(
            response=UTTER_RETURN_ITEM_NOT_IN_ORDER,
            item=item or "",
            items=order_items(order, language),
        )
    elif refusal is ReturnRefusal.NOT_RETURNABLE and check.line is not None:
        dispatcher.utter_message(
            response=UTTER_RETURN_ITEM_NOT_RETURNABLE,
            product=check.line.variant.product.name(language),
            excluded=excluded_categories(language),
        )
    elif (
        refusal is ReturnRefusal.ALREADY_RETURNED
        and check.line is not None
        and check.existing is not None
    ):
        dispatcher.utter_message(
            response=UTTER_RETURN_ALREADY_STARTED,
            product=check.line.variant.product.name(language),
            return_number=check.existing.number,
        )


class ActionReturnPolicy(CatalogueAction):
    """The return policy, with its numbers taken from catalogue.return_policy."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_RETURN_POLICY

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """Utter the policy: window, free-return countries, exclusions, refund time."""
        countries = [country_name(code, language) for code in FREE_RETURN_COUNTRIES]
        dispatcher.utter_message(
            response=UTTER_RETURN_POLICY,
            days=RETURN_WINDOW_DAYS,
            countries=format_list(countries, language),
            excluded=excluded_categories(language),
            refund_days=REFUND_BUSINESS_DAYS,
        )
        return []


class ActionReturnStart(CatalogueAction):
    """Creates the return the form collected, after checking everything again."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_RETURN_START

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """Create the return and give its number and instructions, or say why not."""
        order = await verified_order(self.catalogue, tracker, dispatcher, FORGET_RETURN)
        if not isinstance(order, Order):
            return order
        item = slot_text(tracker, SLOT_RETURN_ITEM) or ""
        reason = slot_text(tracker, SLOT_RETURN_REASON) or "-"
        check = await self.catalogue.start_return(order, item, reason)
        if check.refusal is not None or check.existing is None or check.line is None:
            explain_refusal(check, item, dispatcher, language)
            return FORGET_RETURN
        dispatcher.utter_message(
            response=UTTER_RETURN_CREATED,
            return_number=check.existing.number,
            product=check.line.variant.product.name(language),
            ship_days=RETURN_SHIP_WITHIN_DAYS,
            refund_days=REFUND_BUSINESS_DAYS,
            amount=format_price(check.existing.refund_amount or Decimal(0), language),
        )
        return FORGET_RETURN
