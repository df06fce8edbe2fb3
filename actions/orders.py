"""Order status and refund status, only for someone who gives the order's email or postcode."""

from __future__ import annotations

from abc import abstractmethod
from decimal import Decimal

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue_access import CatalogueAction
from actions.conversation_context import SUBJECT_ORDER, about
from actions.domain_names import (
    ACTION_ORDER_STATUS,
    ACTION_REFUND_STATUS,
    SLOT_ORDER_NUMBER,
    SLOT_VERIFICATION,
)
from actions.localised_formats import format_day, format_price
from actions.order_verification import verified_order
from catalogue.models import Order, OrderStatus, RefundStatus, ReturnStatus
from catalogue.return_policy import REFUND_BUSINESS_DAYS, expected_refund_date

UTTER_ORDER_PROCESSING = "utter_order_processing"
UTTER_ORDER_SHIPPED = "utter_order_shipped"
UTTER_ORDER_DELIVERED = "utter_order_delivered"
UTTER_ORDER_CANCELLED = "utter_order_cancelled"
UTTER_REFUND_NO_RETURN = "utter_refund_no_return"
UTTER_REFUND_AWAITING_PARCEL = "utter_refund_awaiting_parcel"
UTTER_REFUND_PENDING = "utter_refund_pending"
UTTER_REFUND_DONE = "utter_refund_done"
UTTER_REFUND_REJECTED = "utter_refund_rejected"

# The pair is asked again for every lookup, so it never lingers in the conversation.
FORGET_ORDER: list[EventType] = [SlotSet(SLOT_ORDER_NUMBER, None), SlotSet(SLOT_VERIFICATION, None)]


class VerifiedOrderAction(CatalogueAction):
    """An action that describes an order only after checking its email or postcode."""

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """Check the order number and the pair, then `describe` the order."""
        order = await verified_order(self.catalogue, tracker, dispatcher, FORGET_ORDER)
        if not isinstance(order, Order):
            return order
        self.describe(order, dispatcher, language)
        # The order number itself is never kept (FORGET_ORDER); the order only becomes the
        # subject, so "how much is it?" next no longer means a product from before.
        return [*FORGET_ORDER, *about(SUBJECT_ORDER, tracker)]

    @abstractmethod
    def describe(self, order: Order, dispatcher: CollectingDispatcher, language: str) -> None:
        """Tell a verified customer about their order."""


class ActionOrderStatus(VerifiedOrderAction):
    """Where an order is: processing, shipped (carrier, tracking), delivered or cancelled."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_ORDER_STATUS

    def describe(self, order: Order, dispatcher: CollectingDispatcher, language: str) -> None:
        """Utter the status with its dates."""
        if order.status is OrderStatus.SHIPPED and order.shipped_at is not None:
            dispatcher.utter_message(
                response=UTTER_ORDER_SHIPPED,
                order_number=order.number,
                shipped_date=format_day(order.shipped_at, language),
                carrier=order.carrier or "PostNL",
                tracking_code=order.tracking_code or "-",
            )
        elif order.status is OrderStatus.DELIVERED and order.delivered_at is not None:
            dispatcher.utter_message(
                response=UTTER_ORDER_DELIVERED,
                order_number=order.number,
                delivered_date=format_day(order.delivered_at, language),
            )
        elif order.status is OrderStatus.CANCELLED:
            dispatcher.utter_message(response=UTTER_ORDER_CANCELLED, order_number=order.number)
        else:
            dispatcher.utter_message(
                response=UTTER_ORDER_PROCESSING,
                order_number=order.number,
                placed_date=format_day(order.placed_at, language),
            )


class ActionRefundStatus(VerifiedOrderAction):
    """Where the refund of an order's latest return is."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_REFUND_STATUS

    def describe(self, order: Order, dispatcher: CollectingDispatcher, language: str) -> None:
        """Utter the refund state of the latest return, with amount and dates."""
        if not order.returns:
            dispatcher.utter_message(response=UTTER_REFUND_NO_RETURN, order_number=order.number)
            return
        latest = order.returns[-1]
        amount = format_price(latest.refund_amount or Decimal(0), language)
        if latest.status is ReturnStatus.REJECTED:
            dispatcher.utter_message(response=UTTER_REFUND_REJECTED, return_number=latest.number)
        elif latest.refund_status is RefundStatus.REFUNDED and latest.refunded_at is not None:
            dispatcher.utter_message(
                response=UTTER_REFUND_DONE,
                return_number=latest.number,
                amount=amount,
                refund_date=format_day(latest.refunded_at, language),
            )
        elif latest.received_at is not None:
            dispatcher.utter_message(
                response=UTTER_REFUND_PENDING,
                return_number=latest.number,
                amount=amount,
                received_date=format_day(latest.received_at, language),
                refund_date=format_day(expected_refund_date(latest.received_at), language),
            )
        else:
            dispatcher.utter_message(
                response=UTTER_REFUND_AWAITING_PARCEL,
                return_number=latest.number,
                amount=amount,
                refund_days=REFUND_BUSINESS_DAYS,
            )
