"""The catalogue columns the inbox reads by SQL, and the return rule it shares with the catalogue.

The inbox may not import `catalogue` (README boundaries), so these tests (which may import
both) keep the two sides in step: the inbox's statements run against the catalogue's own
migrations and seed on SQLite and PostgreSQL, and its return rule gives the catalogue's dates.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from catalogue import return_policy
from inbox_api.answers import catalogue_reader as reader
from inbox_api.answers import return_rule
from kit.database import create_engine, session_factory
from tests.inbox_api.answers.shop import shop_database, shop_sqlite_url, verified


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def shop_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The seeded shop database on SQLite or the real PostgreSQL."""
    if request.param == "sqlite":
        return shop_sqlite_url(tmp_path)
    url: str = request.getfixturevalue("postgres_url")
    return asyncio.run(shop_database(url))


async def test_the_inbox_reads_products_orders_and_verifications(shop_db: str) -> None:
    await verified(shop_db, "socketio:c-1", "100512")
    engine = create_engine(shop_db)
    try:
        async with session_factory(engine)() as session:
            [lina] = await reader.products_named(session, "Líña  wikkeljurk!")
            assert (lina.sku, lina.name_en, lina.price) == (
                "LC-DR-LINA", "Lina wrap dress", Decimal("79.95")
            )
            assert isinstance(lina.price, Decimal) and lina.sale_price is None
            terracotta = next(v for v in lina.variants if (v.size, v.color) == ("M", "terracotta"))
            assert terracotta.stock == 0 and terracotta.restock_date is not None
            assert await reader.products_named(session, "zzz qqq") == []
            assert await reader.products_named(session, "!") == []
            assert await reader.verified_order_numbers(session, "socketio:c-1") == ["100512"]
            assert await reader.verified_order_numbers(session, "socketio:c-2") == []
            order = await reader.order_by_number(session, "100234")
            assert order is not None and order.status == "delivered"
            assert order.delivered_at is not None and order.delivered_at.tzinfo is not None
            assert order.lines[0].product_name_nl == "Lina wikkeljurk"
            assert await reader.order_by_number(session, "999999") is None
    finally:
        await engine.dispose()


def test_the_return_rule_gives_the_catalogue_s_dates() -> None:
    assert return_rule.RETURN_WINDOW_DAYS == return_policy.RETURN_WINDOW_DAYS
    zone = return_policy.STORE_TIMEZONE
    start = datetime(2026, 1, 1, tzinfo=UTC)
    # Every hour of a year, across both daylight-saving changes and midnight in the stores.
    for hour in range(0, 365 * 24, 7):
        delivered = start + timedelta(hours=hour)
        deadline = return_rule.return_deadline(delivered, zone)
        assert deadline == return_policy.return_deadline(delivered)
        for now in (delivered + timedelta(days=29, hours=23), delivered + timedelta(days=31)):
            inbox_says = now.astimezone(zone).date() <= deadline
            assert inbox_says == return_policy.within_return_window(delivered, now)
