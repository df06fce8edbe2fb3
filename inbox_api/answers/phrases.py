"""The sentences an agent inserts into a reply, in Dutch and English (equals: a test checks)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from inbox_api.answers.catalogue_reader import OrderFacts, ProductFacts, VariantFacts
from inbox_api.answers.return_rule import ReturnEligibility
from kit.formats import format_calendar_day, format_price, locale_of

PHRASES: dict[str, dict[str, str]] = {
    "nl": {
        "price": "De {name} kost {price}.",
        "sale": "De {name} is nu in de sale: {sale} in plaats van {price}.",
        "in_stock": "Op voorraad: {variants}.",
        "sold_out": "De {name} is op dit moment uitverkocht.",
        "restock": "{variant} is weer op voorraad vanaf {day}.",
        "variant": "{size} {color} ({stock})",
        "order_processing": "Je bestelling {number} wordt klaargemaakt.",
        "order_shipped": (
            "Je bestelling {number} is op {day} verzonden met {carrier} "
            "(track & trace {tracking})."
        ),
        "order_delivered": "Je bestelling {number} is op {day} bezorgd.",
        "order_cancelled": "Je bestelling {number} is geannuleerd.",
        "returnable": "Je kunt de bestelling nog terugsturen tot en met {day}.",
        "window_closed": "De retourtermijn van deze bestelling is op {day} verlopen.",
        "not_delivered": "Terugsturen kan zodra de bestelling is bezorgd.",
        "nothing_returnable": "De artikelen in deze bestelling kunnen niet worden teruggestuurd.",
        "unknown_carrier": "de vervoerder",
        "no_tracking": "nog niet bekend",
    },
    "en": {
        "price": "The {name} costs {price}.",
        "sale": "The {name} is on sale now: {sale} instead of {price}.",
        "in_stock": "In stock: {variants}.",
        "sold_out": "The {name} is sold out at the moment.",
        "restock": "{variant} is back in stock from {day}.",
        "variant": "{size} {color} ({stock})",
        "order_processing": "Your order {number} is being prepared.",
        "order_shipped": (
            "Your order {number} was shipped on {day} with {carrier} (tracking {tracking})."
        ),
        "order_delivered": "Your order {number} was delivered on {day}.",
        "order_cancelled": "Your order {number} was cancelled.",
        "returnable": "You can still return the order until {day}.",
        "window_closed": "The return period of this order ended on {day}.",
        "not_delivered": "You can return it once the order has been delivered.",
        "nothing_returnable": "The items in this order cannot be returned.",
        "unknown_carrier": "the carrier",
        "no_tracking": "not known yet",
    },
}


def phrase(language: str, key: str, **values: str) -> str:
    """One sentence in the ticket's language."""
    return PHRASES[language][key].format(**values)


def day_text(day: date, language: str) -> str:
    """ "zaterdag 12 december" / "Saturday 12 December"."""
    return format_calendar_day(day, language)


def local_day(instant: datetime, timezone: ZoneInfo) -> date:
    """The calendar day of an instant in the business timezone."""
    return instant.astimezone(timezone).date()


def moment_text(instant: datetime, language: str, timezone: ZoneInfo) -> str:
    """ "maandag 7 december 09:30" / "Monday 7 December 09:30" in the business timezone."""
    return format_datetime(
        instant, "EEEE d MMMM HH:mm", tzinfo=timezone, locale=locale_of(language)
    )


def price_text(amount: Decimal, language: str) -> str:
    """A localised euro amount."""
    return format_price(amount, language)


def current_price(product: ProductFacts) -> Decimal:
    """What the product costs today (the sale price while there is one)."""
    return product.sale_price if product.sale_price is not None else product.price


def variant_text(variant: VariantFacts, language: str) -> str:
    """ "M black (3)"."""
    return phrase(
        language, "variant", size=variant.size, color=variant.color, stock=str(variant.stock)
    )


def product_sentences(product: ProductFacts, language: str) -> str:
    """Price, sale, stock per size and colour and restock dates, ready to insert."""
    name = product.name(language)
    price = price_text(product.price, language)
    if product.sale_price is not None:
        sale = price_text(product.sale_price, language)
        parts = [phrase(language, "sale", name=name, sale=sale, price=price)]
    else:
        parts = [phrase(language, "price", name=name, price=price)]
    available = [v for v in product.variants if v.stock > 0]
    if available:
        listed = ", ".join(variant_text(v, language) for v in available)
        parts.append(phrase(language, "in_stock", variants=listed))
    else:
        parts.append(phrase(language, "sold_out", name=name))
    for v in product.variants:
        if v.stock == 0 and v.restock_date is not None:
            parts.append(
                phrase(
                    language,
                    "restock",
                    variant=f"{v.size} {v.color}",
                    day=day_text(v.restock_date, language),
                )
            )
    return " ".join(parts)


def order_sentences(
    order: OrderFacts, verdict: ReturnEligibility, language: str, timezone: ZoneInfo
) -> str:
    """The order's status and whether it can still be returned, ready to insert."""
    if order.status == "shipped" and order.shipped_at is not None:
        status = phrase(
            language,
            "order_shipped",
            number=order.number,
            day=day_text(local_day(order.shipped_at, timezone), language),
            carrier=order.carrier or phrase(language, "unknown_carrier"),
            tracking=order.tracking_code or phrase(language, "no_tracking"),
        )
    elif order.status == "delivered" and order.delivered_at is not None:
        status = phrase(
            language,
            "order_delivered",
            number=order.number,
            day=day_text(local_day(order.delivered_at, timezone), language),
        )
    elif order.status == "cancelled":
        status = phrase(language, "order_cancelled", number=order.number)
    else:
        status = phrase(language, "order_processing", number=order.number)
    if order.status == "cancelled":
        return status
    day = day_text(verdict.deadline, language) if verdict.deadline else ""
    return f"{status} {phrase(language, verdict.verdict, day=day)}"
