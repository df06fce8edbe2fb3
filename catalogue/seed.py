"""Demo data for Linde & Co, dated relative to today; the data itself is in `seed_data/*.yml`.

`seed` adds whatever part of the demo is missing and moves the demo's own dates (events,
orders, returns, restock dates) along to today, so a demo started weeks after the first seeding
still shows coming events and orders inside their windows. Rows a person created (registrations,
orders and returns the seed did not make) are never touched. `reset_demo` puts the demo rows
back the way a first seeding makes them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from catalogue.brand_seed import BrandSeedReport, seed_brand
from catalogue.models import (
    CareWash,
    Event,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    RefundStatus,
    Registration,
    Return,
    ReturnLine,
    ReturnStatus,
    Variant,
)
from catalogue.return_policy import NON_RETURNABLE_CATEGORIES, STORE_TIMEZONE
from catalogue.search import build_search_text

SEED_DATA = Path(__file__).resolve().parent / "seed_data"
# Every run draws the same random stock and generated orders, so the demo data never shifts.
RANDOM_SEED = 20261122


@dataclass(frozen=True)
class CareLabel:
    """A care label as data: how to wash, the warmest wash, dryer and iron."""

    wash: CareWash
    max_c: int | None
    tumble_dry: bool
    iron: bool

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> CareLabel:
        """A label from its seed mapping ({wash, max_c, tumble_dry, iron})."""
        max_c = raw.get("max_c")
        return cls(
            wash=CareWash(raw["wash"]),
            max_c=None if max_c is None else int(max_c),
            tumble_dry=bool(raw["tumble_dry"]),
            iron=bool(raw["iron"]),
        )

    def apply(self, product: Product) -> None:
        """Write this label onto a product."""
        product.care_wash = self.wash
        product.care_wash_max_c = self.max_c
        product.care_tumble_dry = self.tumble_dry
        product.care_iron = self.iron


@dataclass(frozen=True)
class ProductSpec:
    """One product of the seed, with the variants it comes in."""

    sku: str
    category: str
    name_en: str
    name_nl: str
    material_en: str
    material_nl: str
    care_en: str
    care_nl: str
    care_label: CareLabel
    price: str
    colors: tuple[str, ...]
    sizes: tuple[str, ...]
    sale_price: str | None = None
    fit_en: str | None = None
    fit_nl: str | None = None
    # (size, color) -> (stock, days from today until restock, or None)
    stock: dict[tuple[str, str], tuple[int, int | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class EventSpec:
    """One event of the seed, on a day relative to today."""

    slug: str
    title_en: str
    title_nl: str
    description_en: str
    description_nl: str
    city: str
    venue: str
    days_from_today: int
    start: time
    end: time
    price: str
    capacity: int | None


@dataclass(frozen=True)
class OrderSpec:
    """An order of the seed: who, where it is, and which (sku, size, colour) it holds."""

    number: str
    email: str
    postcode: str
    status: OrderStatus
    days_since_placed: int
    days_since_shipped: int | None
    days_since_delivered: int | None
    lines: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class ReturnSpec:
    """A return of all lines of one seeded order."""

    number: str
    order: str
    reason: str
    status: ReturnStatus
    refund_status: RefundStatus
    days_since_created: int
    days_since_received: int | None
    days_since_refunded: int | None


@dataclass(frozen=True)
class SeedData:
    """Everything in `seed_data/`, checked and typed."""

    products: tuple[ProductSpec, ...]
    events: tuple[EventSpec, ...]
    orders: tuple[OrderSpec, ...]
    returns: tuple[ReturnSpec, ...]
    generated_per_status: int
    first_generated_number: int
    carriers: tuple[str, ...]


def _read(path: Path) -> dict[str, Any]:
    loaded = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise ValueError(f"{path.name}: expected a mapping at the top")
    return loaded


def _pair(value: Mapping[str, str]) -> tuple[str, str]:
    return str(value["en"]), str(value["nl"])


def _clock(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


def _product(raw: Mapping[str, Any], products: Mapping[str, Any]) -> ProductSpec:
    size_sets = products["size_sets"]
    by_category = products["sizes_by_category"]
    sizes = raw.get("sizes", by_category.get(raw["category"], by_category["default"]))
    care = raw["care"]
    care_raw = products["care"][care] if isinstance(care, str) else care
    care_en, care_nl = _pair(care_raw)
    fit_en, fit_nl = _pair(raw["fit"]) if "fit" in raw else (None, None)
    sale = raw.get("sale_price")
    return ProductSpec(
        sku=raw["sku"],
        category=raw["category"],
        name_en=_pair(raw["name"])[0],
        name_nl=_pair(raw["name"])[1],
        material_en=_pair(raw["material"])[0],
        material_nl=_pair(raw["material"])[1],
        care_en=care_en,
        care_nl=care_nl,
        care_label=CareLabel.parse(care_raw["label"]),
        price=str(raw["price"]),
        colors=tuple(str(color) for color in raw["colors"]),
        sizes=tuple(str(size) for size in (size_sets[sizes] if isinstance(sizes, str) else sizes)),
        sale_price=None if sale is None else str(sale),
        fit_en=fit_en,
        fit_nl=fit_nl,
        stock={
            (str(pin["size"]), str(pin["color"])): (int(pin["stock"]), pin.get("restock_in_days"))
            for pin in raw.get("stock", ())
        },
    )


def _event(raw: Mapping[str, Any]) -> EventSpec:
    return EventSpec(
        slug=raw["slug"],
        title_en=_pair(raw["title"])[0],
        title_nl=_pair(raw["title"])[1],
        description_en=_pair(raw["description"])[0],
        description_nl=_pair(raw["description"])[1],
        city=raw["city"],
        venue=raw["venue"],
        days_from_today=int(raw["days_from_today"]),
        start=_clock(raw["starts"]),
        end=_clock(raw["ends"]),
        price=str(raw["price"]),
        capacity=raw["capacity"],
    )


def _order(raw: Mapping[str, Any]) -> OrderSpec:
    days = raw["days_since"]
    return OrderSpec(
        number=str(raw["number"]),
        email=raw["email"],
        postcode=str(raw["postcode"]),
        status=OrderStatus(raw["status"]),
        days_since_placed=int(days["placed"]),
        days_since_shipped=days["shipped"],
        days_since_delivered=days["delivered"],
        lines=tuple((str(sku), str(size), str(color)) for sku, size, color in raw["lines"]),
    )


def _return(raw: Mapping[str, Any]) -> ReturnSpec:
    days = raw["days_since"]
    return ReturnSpec(
        number=str(raw["number"]),
        order=str(raw["order"]),
        reason=raw["reason"],
        status=ReturnStatus(raw["status"]),
        refund_status=RefundStatus(raw["refund_status"]),
        days_since_created=int(days["created"]),
        days_since_received=days["received"],
        days_since_refunded=days["refunded"],
    )


@cache
def load_seed_data(folder: Path = SEED_DATA) -> SeedData:
    """The demo data from `folder` (products.yml, events.yml, orders.yml)."""
    products = _read(folder / "products.yml")
    events = _read(folder / "events.yml")
    orders = _read(folder / "orders.yml")
    generated = orders["generated"]
    return SeedData(
        products=tuple(_product(raw, products) for raw in products["products"]),
        events=tuple(_event(raw) for raw in events["events"]),
        orders=tuple(_order(raw) for raw in orders["orders"]),
        returns=tuple(_return(raw) for raw in orders["returns"]),
        generated_per_status=int(generated["per_status"]),
        first_generated_number=int(generated["first_number"]),
        carriers=tuple(generated["carriers"]),
    )


def build_product(spec: ProductSpec, today: date, rng: random.Random) -> Product:
    """A Product with its variants from a spec; stock not pinned by the spec is random but > 0."""
    product = Product(
        sku=spec.sku,
        category=spec.category,
        name_en=spec.name_en,
        name_nl=spec.name_nl,
        description_en=f"{spec.name_en} from Linde & Co, made of {spec.material_en}.",
        description_nl=f"{spec.name_nl} van Linde & Co, gemaakt van {spec.material_nl}.",
        material_en=spec.material_en,
        material_nl=spec.material_nl,
        care_en=spec.care_en,
        care_nl=spec.care_nl,
        fit_en=spec.fit_en,
        fit_nl=spec.fit_nl,
        price=Decimal(spec.price),
        sale_price=Decimal(spec.sale_price) if spec.sale_price else None,
        returnable=spec.category not in NON_RETURNABLE_CATEGORIES,
        active=True,
        search_text=build_search_text(
            names=(spec.name_en, spec.name_nl),
            category=spec.category,
            colors=spec.colors,
            materials=(spec.material_en, spec.material_nl),
        ),
    )
    spec.care_label.apply(product)
    variants = []
    for color in spec.colors:
        for size in spec.sizes:
            stock, restock_in = spec.stock.get((size, color), (rng.randint(1, 9), None))
            variants.append(
                Variant(
                    size=size,
                    color=color,
                    stock=stock,
                    restock_date=today + timedelta(days=restock_in) if restock_in else None,
                )
            )
    product.variants = variants
    return product


def at_local(day: date, clock: time) -> datetime:
    """An instant at a wall-clock time in the stores' time zone."""
    return datetime.combine(day, clock, tzinfo=STORE_TIMEZONE)


def event_times(spec: EventSpec, today: date) -> tuple[datetime, datetime]:
    """When the event starts and ends, counted from `today`."""
    day = today + timedelta(days=spec.days_from_today)
    return at_local(day, spec.start), at_local(day, spec.end)


def build_event(spec: EventSpec, today: date) -> Event:
    """An Event from its spec, on a day relative to `today`."""
    starts_at, ends_at = event_times(spec, today)
    return Event(
        slug=spec.slug,
        title_en=spec.title_en,
        title_nl=spec.title_nl,
        description_en=spec.description_en,
        description_nl=spec.description_nl,
        city=spec.city,
        venue=spec.venue,
        starts_at=starts_at,
        ends_at=ends_at,
        price=Decimal(spec.price),
        registration_required=spec.capacity is not None,
        capacity=spec.capacity,
        places_taken=0,
    )


def generated_order_specs(
    rng: random.Random, products: Sequence[ProductSpec], data: SeedData
) -> list[OrderSpec]:
    """Enough orders that every status has at least 20, deterministic for a given rng."""
    specs = []
    number = data.first_generated_number - 1
    for status in OrderStatus:
        for _ in range(data.generated_per_status):
            number += 1
            placed = rng.randint(1, 60)
            shipped = delivered = None
            if status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
                shipped = max(placed - 1, 0)
            if status is OrderStatus.DELIVERED:
                delivered = max((shipped or 0) - 2, 0)
            lines = []
            for spec in rng.sample(list(products), rng.randint(1, 3)):
                lines.append((spec.sku, rng.choice(spec.sizes), rng.choice(spec.colors)))
            postcode = f"{rng.randint(1000, 9999)}{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}" + (
                rng.choice("ABCDEFGHJKLMNPRSTVWXZ")
            )
            specs.append(
                OrderSpec(
                    str(number),
                    f"klant{number}@example.com",
                    postcode,
                    status,
                    placed,
                    shipped,
                    delivered,
                    tuple(lines),
                )
            )
    return specs


def _days_ago(now: datetime, days: int | None) -> datetime | None:
    return None if days is None else now - timedelta(days=days)


def build_order(
    spec: OrderSpec,
    now: datetime,
    variants: dict[tuple[str, str, str], Variant],
    prices: dict[str, Decimal],
    carriers: Sequence[str] = ("PostNL", "DHL", "DPD"),
) -> Order:
    """An Order (with lines at the price of the day) from its spec."""
    shipped_at = _days_ago(now, spec.days_since_shipped)
    order = Order(
        number=spec.number,
        email=spec.email,
        postcode=spec.postcode,
        country="NL",
        status=spec.status,
        placed_at=now - timedelta(days=spec.days_since_placed),
        shipped_at=shipped_at,
        delivered_at=_days_ago(now, spec.days_since_delivered),
        carrier=carriers[int(spec.number) % len(carriers)] if shipped_at else None,
        tracking_code=f"3SLDC{spec.number}NL" if shipped_at else None,
    )
    order.lines = [
        OrderLine(variant=variants[key], quantity=1, unit_price=prices[key[0]])
        for key in spec.lines
    ]
    order.returns = []
    return order


def build_return(spec: ReturnSpec, order: Order, now: datetime) -> Return:
    """A Return of every line of `order`, refunding what was paid."""
    return Return(
        number=spec.number,
        order=order,
        reason=spec.reason,
        status=spec.status,
        refund_status=spec.refund_status,
        refund_amount=sum((line.unit_price * line.quantity for line in order.lines), Decimal(0)),
        created_at=now - timedelta(days=spec.days_since_created),
        received_at=_days_ago(now, spec.days_since_received),
        refunded_at=_days_ago(now, spec.days_since_refunded),
        lines=[ReturnLine(order_line=line, quantity=line.quantity) for line in order.lines],
    )


def days_behind(instant: datetime, days_ago: int, today: date) -> int:
    """How many days `instant` lies before the day `days_ago` days before `today` (0: current)."""
    return (today - timedelta(days=days_ago) - instant.astimezone(STORE_TIMEZONE).date()).days


def moved(instant: datetime | None, days: int, now: datetime) -> datetime | None:
    """`instant` moved `days` days on, never past `now` (a delivery cannot be in the future)."""
    return None if instant is None else min(instant + timedelta(days=days), now)


@dataclass
class SeedReport:
    """How many rows a seed run added, and how many demo rows it moved to today."""

    products: int = 0
    orders: int = 0
    returns: int = 0
    events: int = 0
    moved_orders: int = 0
    moved_returns: int = 0
    moved_events: int = 0
    moved_restocks: int = 0
    care_labels: int = 0
    brand: BrandSeedReport = field(default_factory=BrandSeedReport)

    @property
    def added(self) -> bool:
        """True when the run added anything."""
        return any((self.products, self.orders, self.returns, self.events)) or self.brand.added

    @property
    def changed(self) -> bool:
        """True when the run added or moved anything."""
        moves = (self.moved_orders, self.moved_returns, self.moved_events, self.moved_restocks)
        return (self.added or any(moves) or bool(self.care_labels)
                or bool(self.brand.special_days))

    def summary(self) -> str:
        """One or two sentences for the command line."""
        if not self.changed:
            return "Catalogue already seeded: nothing changed."
        sentences = []
        if any((self.products, self.orders, self.returns, self.events)):
            sentences.append(
                f"Seeded {self.products} products, {self.orders} orders, {self.returns} returns "
                f"and {self.events} events."
            )
        if self.brand.added:
            sentences.append(
                f"Seeded {self.brand.answers} answers, {self.brand.stores} stores, "
                f"{self.brand.special_days} special opening days and "
                f"{self.brand.size_charts} size charts."
            )
        if any((self.moved_orders, self.moved_returns, self.moved_events, self.moved_restocks)):
            sentences.append(
                f"Moved {self.moved_orders} demo orders, {self.moved_returns} returns, "
                f"{self.moved_events} events and {self.moved_restocks} restock dates to today."
            )
        if self.care_labels:
            sentences.append(f"Added care labels to {self.care_labels} demo products.")
        return " ".join(sentences)


async def seed(sessions: async_sessionmaker[AsyncSession], now: datetime) -> SeedReport:
    """Add the missing demo data (by SKU, order number, slug) and date the demo rows from today."""
    async with sessions() as session, session.begin():
        return await _seed(session, now, load_seed_data())


async def reset_demo(sessions: async_sessionmaker[AsyncSession], now: datetime) -> SeedReport:
    """Put the demo data back as a first seeding on `now` makes it.

    The demo's orders (with any returns on them) and events (with their registrations) are
    deleted and made again; the demo products get their seeded names, prices and stock back.
    Products, orders and events the seed did not make are left alone.
    """
    data = load_seed_data()
    rng = random.Random(RANDOM_SEED)
    order_numbers = [spec.number for spec in _order_specs(rng, data)]
    async with sessions() as session, session.begin():
        order_ids = select(Order.id).where(Order.number.in_(order_numbers))
        return_ids = select(Return.id).where(Return.order_id.in_(order_ids))
        await session.execute(delete(ReturnLine).where(ReturnLine.return_id.in_(return_ids)))
        await session.execute(delete(Return).where(Return.order_id.in_(order_ids)))
        await session.execute(delete(OrderLine).where(OrderLine.order_id.in_(order_ids)))
        await session.execute(delete(Order).where(Order.number.in_(order_numbers)))
        event_ids = select(Event.id).where(Event.slug.in_([spec.slug for spec in data.events]))
        await session.execute(delete(Registration).where(Registration.event_id.in_(event_ids)))
        await session.execute(delete(Event).where(Event.slug.in_([s.slug for s in data.events])))
        return await _seed(session, now, data, restore_products=True)


def _order_specs(rng: random.Random, data: SeedData) -> list[OrderSpec]:
    """The seed's orders; draws the products' random stock first, as seeding does."""
    today = date(2000, 1, 1)  # only the random draws matter here
    for spec in data.products:
        build_product(spec, today, rng)
    return [*data.orders, *generated_order_specs(rng, data.products, data)]


async def _seed(
    session: AsyncSession, now: datetime, data: SeedData, *, restore_products: bool = False
) -> SeedReport:
    today = now.astimezone(STORE_TIMEZONE).date()
    rng = random.Random(RANDOM_SEED)
    report = SeedReport()

    existing = {
        product.sku: product
        for product in await session.scalars(
            select(Product).where(Product.sku.in_([spec.sku for spec in data.products]))
        )
    }
    seeded_variants = {
        (sku, variant.size, variant.color): variant
        for sku, variant in await session.execute(
            select(Product.sku, Variant).join(Variant, Variant.product_id == Product.id)
        )
    }
    for spec in data.products:
        # Built even when present so the random stream, and thus the data, never shifts.
        product = build_product(spec, today, rng)
        if spec.sku not in existing:
            session.add(product)
            report.products += 1
        elif restore_products:
            _restore(existing[spec.sku], product, seeded_variants)
        else:
            if existing[spec.sku].care_wash is None:
                # Seeded before care labels were data (catalogue migration 0003).
                _relabel(existing[spec.sku], spec)
                report.care_labels += 1
            for (size, color), (_stock, restock_in) in spec.stock.items():
                variant = seeded_variants.get((spec.sku, size, color))
                due = today + timedelta(days=restock_in) if restock_in else None
                if due is not None and variant is not None and variant.restock_date != due:
                    variant.restock_date = due
                    report.moved_restocks += 1
    await session.flush()

    variants: dict[tuple[str, str, str], Variant] = {}
    prices: dict[str, Decimal] = {}
    rows = await session.execute(
        select(Product.sku, Product.price, Product.sale_price, Variant).join(
            Variant, Variant.product_id == Product.id
        )
    )
    for sku, price, sale_price, variant in rows:
        variants[(sku, variant.size, variant.color)] = variant
        prices[sku] = sale_price if sale_price is not None else price

    order_specs = [*data.orders, *generated_order_specs(rng, data.products, data)]
    present = {
        order.number: order
        for order in await session.scalars(
            select(Order).where(Order.number.in_([spec.number for spec in order_specs]))
        )
    }
    added: dict[str, Order] = {}
    for order_spec in order_specs:
        order = present.get(order_spec.number)
        if order is None:
            added[order_spec.number] = build_order(order_spec, now, variants, prices, data.carriers)
            session.add(added[order_spec.number])
            report.orders += 1
        elif days := days_behind(order.placed_at, order_spec.days_since_placed, today):
            order.placed_at = moved(order.placed_at, days, now) or order.placed_at
            order.shipped_at = moved(order.shipped_at, days, now)
            order.delivered_at = moved(order.delivered_at, days, now)
            report.moved_orders += 1
    await session.flush()

    present_returns = {
        row.number: row
        for row in await session.scalars(
            select(Return).where(Return.number.in_([spec.number for spec in data.returns]))
        )
    }
    for return_spec in data.returns:
        returned = present_returns.get(return_spec.number)
        if returned is None:
            # Only beside its own freshly made order: a person may have handled the old one.
            if return_spec.order in added:
                session.add(build_return(return_spec, added[return_spec.order], now))
                report.returns += 1
        elif days := days_behind(returned.created_at, return_spec.days_since_created, today):
            returned.created_at = moved(returned.created_at, days, now) or returned.created_at
            returned.received_at = moved(returned.received_at, days, now)
            returned.refunded_at = moved(returned.refunded_at, days, now)
            report.moved_returns += 1

    events = {
        event.slug: event
        for event in await session.scalars(
            select(Event).where(Event.slug.in_([spec.slug for spec in data.events]))
        )
    }
    for event_spec in data.events:
        event = events.get(event_spec.slug)
        if event is None:
            session.add(build_event(event_spec, today))
            report.events += 1
            continue
        starts_at, ends_at = event_times(event_spec, today)
        if event.starts_at != starts_at or event.ends_at != ends_at:
            event.starts_at, event.ends_at = starts_at, ends_at
            report.moved_events += 1
    await session.flush()
    report.brand = await seed_brand(session, today, now)
    return report


def _relabel(product: Product, spec: ProductSpec) -> None:
    """Give a demo product seeded before care labels were data its label and care text."""
    spec.care_label.apply(product)
    product.care_en, product.care_nl = spec.care_en, spec.care_nl


def _restore(
    product: Product, seeded: Product, variants: Mapping[tuple[str, str, str], Variant]
) -> None:
    """Give an existing demo product its seeded fields and stock back (its rows stay)."""
    for column in Product.__table__.columns:
        if column.key not in ("id",):
            setattr(product, column.key, getattr(seeded, column.key))
    for fresh in seeded.variants:
        variant = variants.get((product.sku, fresh.size, fresh.color))
        if variant is not None:
            variant.stock, variant.restock_date = fresh.stock, fresh.restock_date
