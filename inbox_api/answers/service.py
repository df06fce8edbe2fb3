"""Answers at hand: the packet's understanding and the catalogue facts for one ticket."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.answers import catalogue_reader as catalogue
from inbox_api.answers import phrases
from inbox_api.answers.brand_answers import FAQ_INTENT, brand_answer
from inbox_api.answers.return_rule import eligibility
from inbox_api.answers.schemas import (
    AnswersOut,
    BrandAnswerOut,
    EntityOut,
    IntentOut,
    OrderOut,
    ProductOut,
    VariantOut,
)
from inbox_api.tickets.models import Ticket

PRODUCT_ENTITIES = ("product",)
ORDER_ENTITIES = ("order_number",)
FAQ_TOPIC_ENTITIES = ("faq_topic",)


def entity_values(packet: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    """The distinct string values of these entities in the packet, in order of appearance."""
    values: list[str] = []
    for item in packet.get("entities") or []:
        if isinstance(item, dict) and item.get("entity") in names:
            value = item.get("value")
            if isinstance(value, str) and value.strip() and value.strip() not in values:
                values.append(value.strip())
    return values


def predicted_topic(packet: dict[str, Any]) -> str | None:
    """The assistant's most confident intent, if any (a FAQ one with its topic: faq/<topic>)."""
    intents = [i for i in packet.get("intents") or [] if isinstance(i, dict) and i.get("name")]
    if not intents:
        return None
    best = str(max(intents, key=lambda i: float(i.get("confidence") or 0))["name"])
    if best == FAQ_INTENT:
        # A clarification button names the topic in an entity rather than the intent.
        picked = entity_values(packet, FAQ_TOPIC_ENTITIES)
        return f"{FAQ_INTENT}/{picked[0]}" if picked else best
    return best


def customer_key(ticket: Ticket) -> str:
    """The conversation as the catalogue's verification attempts name it."""
    return f"{ticket.channel}:{ticket.conversation_id}"


async def product_facts(
    session: AsyncSession, ticket: Ticket, mentions: list[str]
) -> tuple[list[ProductOut], list[str]]:
    """Live facts for each product mentioned; the mentions the catalogue does not know."""
    found: list[ProductOut] = []
    unknown: list[str] = []
    seen: set[str] = set()
    language = ticket.language
    for mention in mentions:
        products = await catalogue.products_named(session, mention)
        if not products:
            unknown.append(mention)
        for product in products:
            if product.sku in seen:
                continue
            seen.add(product.sku)
            found.append(
                ProductOut(
                    sku=product.sku,
                    name=product.name(language),
                    mention=mention,
                    price=product.price,
                    sale_price=product.sale_price,
                    price_text=phrases.price_text(product.price, language),
                    sale_price_text=phrases.price_text(product.sale_price, language)
                    if product.sale_price is not None
                    else None,
                    variants=[
                        VariantOut(
                            size=v.size,
                            color=v.color,
                            stock=v.stock,
                            restock_date=v.restock_date,
                            restock_text=phrases.day_text(v.restock_date, language)
                            if v.restock_date
                            else None,
                        )
                        for v in product.variants
                    ],
                    insert=phrases.product_sentences(product, language),
                )
            )
    return found, unknown


async def verified_order(
    session: AsyncSession, ticket: Ticket, now: datetime, timezone: ZoneInfo
) -> tuple[OrderOut | None, str | None]:
    """The order this conversation proved to be its own (mentioned ones first), or why none."""
    mentioned = entity_values(ticket.packet or {}, ORDER_ENTITIES)
    verified = await catalogue.verified_order_numbers(session, customer_key(ticket))
    if not verified:
        return None, "not_verified" if mentioned else "none_mentioned"
    upper = [m.upper() for m in mentioned]
    number = next((n for n in verified if n.upper() in upper), verified[-1])
    order = await catalogue.order_by_number(session, number)
    if order is None:
        return None, "unknown"
    verdict = eligibility(order, now, timezone)
    return (
        OrderOut(
            number=order.number,
            status=order.status,
            placed_at=order.placed_at,
            shipped_at=order.shipped_at,
            delivered_at=order.delivered_at,
            carrier=order.carrier,
            tracking_code=order.tracking_code,
            return_verdict=verdict.verdict,
            return_deadline=verdict.deadline,
            insert=phrases.order_sentences(order, verdict, ticket.language, timezone),
        ),
        None,
    )


async def answers_for(
    session: AsyncSession, ticket: Ticket, now: datetime, timezone: ZoneInfo
) -> AnswersOut:
    """Everything the ticket view offers one click away."""
    packet = ticket.packet or {}
    products, unknown = await product_facts(
        session, ticket, entity_values(packet, PRODUCT_ENTITIES)
    )
    order, hidden = await verified_order(session, ticket, now, timezone)
    topic = predicted_topic(packet)
    brand = await brand_answer(session, topic, ticket.language) if topic else None
    return AnswersOut(
        language=ticket.language,
        intents=[
            IntentOut(name=str(i.get("name")), confidence=float(i.get("confidence") or 0))
            for i in packet.get("intents") or []
            if isinstance(i, dict)
        ],
        entities=[
            EntityOut(entity=str(e.get("entity")), value=e.get("value"))
            for e in packet.get("entities") or []
            if isinstance(e, dict)
        ],
        predicted_topic=topic,
        products=products,
        unknown_products=unknown,
        order=order,
        order_hidden=hidden,
        brand_answer=BrandAnswerOut(topic=brand.topic, title=brand.title, insert=brand.text)
        if brand
        else None,
    )
