"""Orders and returns: the pair check, the 30-day window, the item, and creating the return."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

from sqlalchemy import func, select

from catalogue.models import Order, RefundStatus, Return, ReturnStatus, Variant
from catalogue.repository import Catalogue, ReturnRefusal
from catalogue.verification import Verification, parse_order_number, parse_verification
from tests.catalogue.factories import NOW, add_order, add_product


async def verified(catalogue: Catalogue, number: str, pair: Verification) -> Order | None:
    """The order for this pair, asked by a customer of its own (no lockout in the way)."""
    customer = f"test:{uuid.uuid4().hex}"
    return (await catalogue.verify_order(number, pair, customer)).order


def test_verification_accepts_email_and_dutch_or_belgian_postcodes() -> None:
    assert parse_verification(" Sanne.DeVries@Example.nl ") == Verification(
        "email", "sanne.devries@example.nl"
    )
    assert parse_verification("1012 ab") == Verification("postcode", "1012AB")
    assert parse_verification("1000") == Verification("postcode", "1000")
    assert parse_verification("Amsterdam") is None
    assert parse_verification("") is None


def test_order_numbers_are_six_digits() -> None:
    assert parse_order_number("#100234") == "100234"
    assert parse_order_number("100 234") == "100234"
    assert parse_order_number("my order is 100234, thanks") == "100234"
    assert parse_order_number("1002345") is None
    assert parse_order_number("abc") is None


async def test_wrong_pair_and_missing_order_look_the_same(seeded: Catalogue) -> None:
    right = await verified(seeded, "100234", Verification("postcode", "1012AB"))
    by_email = await verified(seeded,
        "100234", Verification("email", "sanne.devries@example.nl")
    )
    wrong = await verified(seeded, "100234", Verification("postcode", "9999ZZ"))
    missing = await verified(seeded, "999999", Verification("postcode", "1012AB"))
    assert right is not None and by_email is not None and right.number == "100234"
    assert wrong is None and missing is None


async def test_return_rules_on_the_anchor_orders(seeded: Catalogue) -> None:
    pair = Verification("postcode", "1012AB")
    outside = await verified(seeded, "100007", Verification("postcode", "3011AD"))
    assert seeded.check_return(outside, None).refusal is ReturnRefusal.OUTSIDE_WINDOW
    shipped = await verified(seeded, "100512", Verification("postcode", "3511KJ"))
    assert seeded.check_return(shipped, None).refusal is ReturnRefusal.NOT_DELIVERED
    order = await verified(seeded, "100234", pair)
    assert seeded.check_return(order, "raincoat").refusal is ReturnRefusal.ITEM_NOT_IN_ORDER
    assert seeded.check_return(order, "jurk").refusal is None


async def test_start_return_creates_one_return_with_a_number(seeded: Catalogue) -> None:
    pair = Verification("email", "sanne.devries@example.nl")
    order = await verified(seeded, "100234", pair)
    assert order is not None
    created = await seeded.start_return(order, "Lina wikkeljurk", "te klein")
    assert created.refusal is None and created.existing is not None
    assert created.existing.number == "R100234-1"
    again = await seeded.start_return(order, "the wrap dress", "too small")
    assert again.refusal is ReturnRefusal.ALREADY_RETURNED
    assert again.existing is not None and again.existing.number == "R100234-1"
    scarf = await seeded.start_return(order, "scarf", "colour")
    assert scarf.existing is not None and scarf.existing.number == "R100234-2"
    async with seeded.sessions() as session:
        stored = (await session.scalars(select(Return).order_by(Return.number))).all()
    new = [r for r in stored if r.number.startswith("R100234")]
    assert [(r.status, r.refund_status, r.reason) for r in new] == [
        (ReturnStatus.REQUESTED, RefundStatus.NOT_STARTED, "te klein"),
        (ReturnStatus.REQUESTED, RefundStatus.NOT_STARTED, "colour"),
    ]


async def test_wrong_pair_creates_nothing(seeded: Catalogue) -> None:
    assert await verified(seeded, "100234", Verification("postcode", "1234XY")) is None
    async with seeded.sessions() as session:
        count = await session.scalar(select(func.count()).select_from(Return))
    assert count == 1  # only the seeded R100419-1


def seen_on(catalogue: Catalogue, now: datetime) -> Catalogue:
    """The same database seen on another day."""
    return Catalogue(catalogue.sessions, clock=lambda: now)


async def test_window_edges_and_non_returnable_items(catalogue: Catalogue) -> None:
    sessions = catalogue.sessions
    dress = await add_product(sessions, sku="T-DRESS", name_en="Test dress", name_nl="Testjurk")
    hoops = await add_product(
        sessions,
        sku="T-HOOPS",
        name_en="Test hoops",
        name_nl="Testringen",
        category="earrings",
        returnable=False,
    )
    async with sessions() as session:
        variant_ids = list(
            await session.scalars(
                select(Variant.id).where(Variant.product_id.in_([dress.id, hoops.id]))
            )
        )
    await add_order(
        sessions, number="200001", variant_ids=variant_ids, delivered_at=NOW - timedelta(days=30)
    )
    pair = Verification("postcode", "1234AB")
    last_day = seen_on(catalogue, NOW)
    order = await verified(last_day, "200001", pair)
    assert last_day.check_return(order, "Test dress").refusal is None
    assert last_day.check_return(order, "hoops").refusal is ReturnRefusal.NOT_RETURNABLE
    day_after = seen_on(catalogue, NOW + timedelta(days=1))
    assert day_after.check_return(order, "Test dress").refusal is ReturnRefusal.OUTSIDE_WINDOW


async def test_the_same_item_returned_twice_at_once_gives_one_return(seeded: Catalogue) -> None:
    order = await verified(seeded, "100234", Verification("postcode", "1012AB"))
    assert order is not None
    results = await asyncio.gather(
        *(seeded.start_return(order, "Lina wrap dress", "too small") for _ in range(4))
    )
    created = [r for r in results if r.refusal is None]
    assert len(created) == 1
    assert all(r.refusal is ReturnRefusal.ALREADY_RETURNED for r in results if r not in created)
    async with seeded.sessions() as session:
        count = await session.scalar(
            select(func.count()).select_from(Return).where(Return.number.like("R100234-%"))
        )
    assert count == 1
