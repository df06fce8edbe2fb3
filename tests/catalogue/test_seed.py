"""The seed: the anchors as the issue states them, enough data, idempotence, and a demo that
stays dated from today (re-seeding and `demo-reset`) without touching what people made."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import selectinload

from catalogue.models import (
    CareWash,
    Event,
    Order,
    OrderStatus,
    Product,
    RefundStatus,
    Registration,
    Return,
    ReturnStatus,
    Variant,
)
from catalogue.repository import Catalogue
from catalogue.return_policy import STORE_TIMEZONE
from catalogue.seed import reset_demo, seed
from catalogue.verification import Verification
from kit.database import create_engine, session_factory
from tests.catalogue.factories import NOW, add_order, make_catalogue, seed_at

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


async def test_second_seed_the_same_day_changes_nothing(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    try:
        first = await seed(sessions, NOW)
        second = await seed(sessions, NOW + timedelta(hours=5))
        async with sessions() as session:
            products = await session.scalar(select(func.count()).select_from(Product))
            orders = await session.scalar(select(func.count()).select_from(Order))
    finally:
        await engine.dispose()
    assert first.changed and first.products == products and first.orders == orders
    assert not second.changed
    assert second.summary() == "Catalogue already seeded: nothing changed."


async def _snapshot(sessions: async_sessionmaker[AsyncSession]) -> dict[str, object]:
    """The dates a customer sees, by demo row and by the rows a person made."""
    async with sessions() as session:
        events = {
            e.slug: (e.starts_at, e.ends_at, e.places_taken)
            for e in await session.scalars(select(Event))
        }
        orders = {
            o.number: (o.placed_at, o.shipped_at, o.delivered_at)
            for o in await session.scalars(select(Order))
        }
        returns = {
            r.number: (r.created_at, r.received_at) for r in await session.scalars(select(Return))
        }
        registrations = [
            (r.confirmation, r.event_id, r.places, r.created_at)
            for r in await session.scalars(select(Registration))
        ]
    return {"events": events, "orders": orders, "returns": returns, "registrations": registrations}


def _local_day(instant: datetime | None) -> date | None:
    return None if instant is None else instant.astimezone(STORE_TIMEZONE).date()


async def test_a_later_seed_moves_the_demo_to_today_and_leaves_peoples_rows_alone(
    db_url: str,
) -> None:
    await seed_at(db_url, NOW)
    catalogue = make_catalogue(db_url, NOW)
    try:
        show = await catalogue.find_event("autumn fashion show")
        assert show is not None
        signed = await catalogue.sign_up(show.id, "Anna", "anna@example.nl", 2)
        assert signed.confirmation
        # A return a customer started, and an order the seed did not make.
        order = await catalogue.verify_order("100234", Verification("postcode", "1012AB"), "t:1")
        assert order.order is not None
        started = await catalogue.start_return(order.order, "Lina", "te groot")
        assert started.existing is not None
        lina_navy = (await _product(catalogue, "LC-DR-LINA")).variants[0].id
        await add_order(
            catalogue.sessions, number="900001", variant_ids=[lina_navy], delivered_at=NOW
        )
        before = await _snapshot(catalogue.sessions)

        later = NOW + timedelta(days=40)
        today = later.astimezone(STORE_TIMEZONE).date()
        report = await seed(catalogue.sessions, later)
        after = await _snapshot(catalogue.sessions)
        again = await seed(catalogue.sessions, later + timedelta(hours=1))
        lina = await _product(catalogue, "LC-DR-LINA")
    finally:
        await catalogue.dispose()

    assert not report.added
    assert report.moved_events == 4 and report.moved_returns == 1 and report.moved_restocks == 1
    assert report.moved_orders == len(before["orders"]) - 1  # type: ignore[arg-type]
    assert "Moved" in report.summary()
    assert not again.changed

    events = after["events"]
    assert isinstance(events, dict)
    starts, _ends, places = events["autumn-fashion-show"]
    assert _local_day(starts) == today + timedelta(days=20)
    assert starts.astimezone(STORE_TIMEZONE).strftime("%H:%M") == "19:00"
    assert places == 2  # the registration still holds its places
    assert _local_day(events["summer-preview"][0]) == today - timedelta(days=30)
    orders = after["orders"]
    assert isinstance(orders, dict)
    placed, shipped, delivered = orders["100234"]
    assert (_local_day(placed), _local_day(shipped), _local_day(delivered)) == (
        today - timedelta(days=13),
        today - timedelta(days=12),
        today - timedelta(days=10),
    )
    assert all(moment is None or moment <= later for dates in orders.values() for moment in dates)
    returns = after["returns"]
    assert isinstance(returns, dict)
    assert _local_day(returns["R100419-1"][0]) == today - timedelta(days=8)
    assert _local_day(returns["R100419-1"][1]) == today - timedelta(days=2)
    # What people made is exactly as it was.
    assert orders["900001"] == before["orders"]["900001"]  # type: ignore[index]
    assert returns[started.existing.number] == before["returns"][started.existing.number]  # type: ignore[index]
    assert after["registrations"] == before["registrations"]
    assert _stock(lina)[("M", "terracotta")] == (0, today + timedelta(days=14))


async def test_demo_reset_restores_the_demo_and_keeps_other_rows(db_url: str) -> None:
    await seed_at(db_url, NOW)
    catalogue = make_catalogue(db_url, NOW)
    try:
        fresh = await _snapshot(catalogue.sessions)
        workshop = await catalogue.find_event("styling workshop")
        assert workshop is not None
        assert (await catalogue.sign_up(workshop.id, "Bo", "bo@example.nl", 3)).confirmation
        order = await catalogue.verify_order("100234", Verification("postcode", "1012AB"), "t:1")
        assert order.order is not None
        await catalogue.start_return(order.order, "Lina", "te groot")
        lina_before = _stock(await _product(catalogue, "LC-DR-LINA"))
        async with catalogue.sessions() as session, session.begin():
            product = await session.scalar(select(Product).where(Product.sku == "LC-DR-LINA"))
            assert product is not None
            product.price = Decimal("1.00")
            for variant in await session.scalars(
                select(Variant).where(Variant.product_id == product.id)
            ):
                variant.stock = 0
        mila = (await _product(catalogue, "LC-SH-MILA")).variants[0].id
        await add_order(catalogue.sessions, number="900002", variant_ids=[mila], delivered_at=NOW)

        report = await reset_demo(catalogue.sessions, NOW)
        restored = await _snapshot(catalogue.sessions)
        lina = await _product(catalogue, "LC-DR-LINA")
    finally:
        await catalogue.dispose()

    assert report.orders == len(fresh["orders"]) and report.events == 4  # type: ignore[arg-type]
    assert report.returns == 1 and report.products == 0
    assert restored["registrations"] == []
    events = restored["events"]
    assert isinstance(events, dict) and events["styling-workshop"][2] == 0
    assert set(restored["returns"]) == {"R100419-1"}  # type: ignore[arg-type]
    assert "900002" in restored["orders"]  # type: ignore[operator]
    assert lina.price == Decimal("79.95") and _stock(lina) == lina_before


async def test_care_labels_are_data(seeded: Catalogue) -> None:
    storm = await _product(seeded, "LC-CO-STORM")
    assert (storm.care_wash, storm.care_wash_max_c) == (CareWash.MACHINE, 30)
    assert storm.care_tumble_dry is False and storm.care_iron is False
    noor = await _product(seeded, "LC-KN-NOOR")
    assert noor.care_wash is CareWash.HAND and noor.care_tumble_dry is False
    belt = await _product(seeded, "LC-AC-LOES")
    assert belt.care_wash is CareWash.NONE and belt.care_wash_max_c is None


async def test_products_seeded_before_care_labels_get_them(db_url: str) -> None:
    engine = create_engine(db_url)
    sessions = session_factory(engine)
    try:
        await seed(sessions, NOW)
        # As catalogue migration 0003 leaves a database seeded before it.
        async with sessions() as session, session.begin():
            await session.execute(
                update(Product).values(
                    care_wash=None, care_wash_max_c=None, care_tumble_dry=None, care_iron=None
                )
            )
        report = await seed(sessions, NOW)
        again = await seed(sessions, NOW)
        async with sessions() as session:
            unlabelled = await session.scalar(
                select(func.count()).select_from(Product).where(Product.care_wash.is_(None))
            )
    finally:
        await engine.dispose()
    assert report.care_labels == 44 and "care labels to 44" in report.summary()
    assert unlabelled == 0 and not again.changed
