"""What the ticket view shows next to a ticket: understanding and insertable facts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, JsonValue

from inbox_api.schemas import Instant


class IntentOut(BaseModel):
    """An intent the assistant considered."""

    name: str
    confidence: float


class EntityOut(BaseModel):
    """An entity the assistant extracted."""

    entity: str
    value: JsonValue


class VariantOut(BaseModel):
    """One size and colour with its stock."""

    size: str
    color: str
    stock: int
    restock_date: date | None
    restock_text: str | None


class ProductOut(BaseModel):
    """A product mentioned in the conversation, with its live facts."""

    sku: str
    name: str
    mention: str
    price: Decimal
    sale_price: Decimal | None
    price_text: str
    sale_price_text: str | None
    variants: list[VariantOut]
    # The sentences to put in the reply, in the ticket's language.
    insert: str


class OrderOut(BaseModel):
    """A verified order's status and return eligibility."""

    number: str
    status: str
    placed_at: Instant
    shipped_at: Instant | None
    delivered_at: Instant | None
    carrier: str | None
    tracking_code: str | None
    return_verdict: Literal["returnable", "not_delivered", "window_closed", "nothing_returnable"]
    return_deadline: date | None
    insert: str


class BrandAnswerOut(BaseModel):
    """The brand's answer for the predicted FAQ topic, in the ticket's language."""

    topic: str
    title: str
    insert: str


class AnswersOut(BaseModel):
    """What the assistant understood and the facts one click away."""

    language: Literal["nl", "en"]
    intents: list[IntentOut]
    entities: list[EntityOut]
    predicted_topic: str | None
    products: list[ProductOut]
    # Product mentions the catalogue does not know.
    unknown_products: list[str]
    order: OrderOut | None
    # Why no order is shown: none mentioned, or the customer did not prove it is theirs.
    order_hidden: Literal["none_mentioned", "not_verified", "unknown"] | None
    brand_answer: BrandAnswerOut | None
