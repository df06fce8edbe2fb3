"""The seed: the anchors exactly as the issue states them, enough data, and idempotence."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from catalogue.database import create_engine, session_factory
from catalogue.models import Event, Order, OrderStatus, Product, RefundStatus, Return, ReturnStatus
from catalogue.repository import Catalogue
from catalogue.return_policy import STORE_TIMEZONE
from catalogue.seed import seed
from tests.catalogue.factories import NOW

TODAY = NOW.astimezone(STORE_TIMEZONE).date()


async def _product(catalogue: Catalogue, sku: str) -> Product:
    async with catalogue.sessions() as session:
        product = await session.scalar(
            select(Product).where(Product.sku == sku).options(selectinload(Product.variants))
        )
    assert product is not None
    return product


def _stock(product: Product) -> dict[tuple[str, str], tuple[int, date | None]]:
    return {(v.size, v.color): (v.stock, v.restock_date) for v in product.variants}


async def test_lina_wrap_dress_anchor(seeded: Catalogue) -> None:
    lina = await _product(seeded, "LC-DR-LINA")
    assert (lina.name_en, lina.name_nl, lina.category) == (
        "Lina wrap dress",
        "Lina wikkeljurk",
        "dresses",
    )
    assert lina.price == Decimal("79.95") and lina.sale_price is None
    assert lina.material_en == "viscose"
    stock = _stock(lina)
    assert {size for size, _ in stock} == {"XS", "S", "M", "L", "XL"}
    assert {color for _, color in stock} == {"terracotta", "navy"}
    assert stock[("M", "terracotta")] == (0, TODAY + timedelta(days=14))
    assert stock[("M", "navy")] == (4, None)


async def test_noor_ravi_storm_mila_sven_anchors(seeded: Catalogue) -> None:
    noor = await _product(seeded, "LC-KN-NOOR")
    assert (noor.name_nl, noor.price, noor.category) == (
        "Noor merino trui",
        Decimal("89.95"),
        "knitwear",
    )
    assert noor.material_en == "100% merino wool" and "hand wash cold" in noor.care_en.lower()
    assert {v.size for v in noor.variants} == {"S", "M", "L", "XL"}
    assert all(v.stock == 0 and v.restock_date is None for v in noor.variants if v.size == "XL")

    ravi = await _product(seeded, "LC-JE-RAVI")
    assert (ravi.price, ravi.category, ravi.material_en) == (
        Decimal("99.95"),
        "jeans",
        "organic cotton denim",
    )
    assert {v.size for v in ravi.variants} == {str(w) for w in range(28, 37)}
    assert ravi.fit_en is not None and "size up" in ravi.fit_en

    storm = await _product(seeded, "LC-CO-STORM")
    assert (storm.name_nl, storm.price, storm.sale_price) == (
        "Storm regenjas",
        Decimal("129.95"),
        Decimal("103.96"),
    )
    assert storm.material_en == "recycled polyester, waterproof"

    mila = await _product(seeded, "LC-SH-MILA")
    assert (mila.name_nl, mila.price, mila.material_en) == (
        "Mila linnen blouse",
        Decimal("59.95"),
        "100% linen",
    )
    assert "30 °C" in mila.care_en and {v.color for v in mila.variants} == {"white", "sage"}

    sven = await _product(seeded, "LC-AC-SVEN")
    assert (sven.name_nl, sven.price, sven.material_en, sven.category) == (
        "Sven wollen sjaal",
        Decimal("39.95"),
        "lambswool",
        "accessories",
    )


async def test_range_size_and_order_mix(seeded: Catalogue) -> None:
    async with seeded.sessions() as session:
        products = await session.scalar(select(func.count()).select_from(Product))
        categories = await session.scalar(select(func.count(func.distinct(Product.category))))
        per_status = dict(
            (await session.execute(select(Order.status, func.count()).group_by(Order.status))).all()
        )
    assert products is not None and products >= 40
    assert categories is not None and categories >= 8
    assert set(per_status) == set(OrderStatus)
    assert all(count >= 20 for count in per_status.values()), per_status


async def test_anchor_orders(seeded: Catalogue) -> None:
    async with seeded.sessions() as session:
        orders = {
            o.number: o
            for o in await session.scalars(
                select(Order).where(Order.number.in_(["100234", "100512", "100007", "100419"]))
            )
        }
        refund = await session.scalar(select(Return).where(Return.number == "R100419-1"))

    def days_ago(order: Order) -> int:
        assert order.delivered_at is not None
        return (TODAY - order.delivered_at.astimezone(STORE_TIMEZONE).date()).days

    assert orders["100234"].status is OrderStatus.DELIVERED and days_ago(orders["100234"]) == 10
    assert orders["100512"].status is OrderStatus.SHIPPED
    assert orders["100512"].delivered_at is None and orders["100512"].tracking_code
    assert orders["100007"].status is OrderStatus.DELIVERED and days_ago(orders["100007"]) == 45
    assert refund is not None and refund.order_id == orders["100419"].id
    assert refund.status is ReturnStatus.RECEIVED and refund.refund_status is RefundStatus.PENDING


async def test_events_are_relative_to_the_seeding_day(seeded: Catalogue) -> None:
    async with seeded.sessions() as session:
        events = {e.slug: e for e in await session.scalars(select(Event))}

    def local(slug: str) -> tuple[date, str, str]:
        event = events[slug]
        start = event.starts_at.astimezone(STORE_TIMEZONE)
        end = event.ends_at.astimezone(STORE_TIMEZONE)
        return start.date(), start.strftime("%H:%M"), end.strftime("%H:%M")

    show = events["autumn-fashion-show"]
    assert (show.title_nl, show.city, show.price, show.capacity) == (
        "Najaarsmodeshow",
        "Amsterdam",
        Decimal("0"),
        80,
    )
    assert show.registration_required
    assert local("autumn-fashion-show") == (TODAY + timedelta(days=20), "19:00", "21:00")
    workshop = events["styling-workshop"]
    assert (workshop.title_nl, workshop.city, workshop.price, workshop.capacity) == (
        "Stylingworkshop",
        "Utrecht",
        Decimal("15"),
        12,
    )
    assert local("styling-workshop") == (TODAY + timedelta(days=14), "14:00", "16:00")
    sale = events["sample-sale"]
    assert (sale.city, sale.registration_required, sale.capacity) == ("Rotterdam", False, None)
    assert local("sample-sale") == (TODAY + timedelta(days=55), "10:00", "17:00")


async def test_second_seed_changes_nothing(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    try:
        first = await seed(sessions, NOW)
        # A later day must not add or move anything either.
        second = await seed(sessions, NOW + timedelta(days=3))
        async with sessions() as session:
            products = await session.scalar(select(func.count()).select_from(Product))
            orders = await session.scalar(select(func.count()).select_from(Order))
    finally:
        await engine.dispose()
    assert first.changed and first.products == products and first.orders == orders
    assert not second.changed
    assert second.summary() == "Catalogue already seeded: nothing changed."
