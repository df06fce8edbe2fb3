"""An inbox on a database that also holds the seeded catalogue (as in production: one database)."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import text

from inbox_api.migrate import upgrade_head
from kit.clock import utc_now
from kit.database import create_engine
from tests.catalogue.factories import empty_tables, migrate, seed_at
from tests.inbox_api.conftest import Inbox, make_settings, start_inbox


async def shop_database(url: str) -> str:
    """A database with the catalogue seeded today (the inbox asks the real clock) and the inbox.

    The demo data is dated from the day it is seeded, so a return window stays open on any
    day the tests run.
    """
    await migrate(url)
    await empty_tables(url)
    await seed_at(url, utc_now())
    await asyncio.to_thread(upgrade_head, url)
    return url


_template: Path | None = None


def shop_sqlite_url(tmp_path: Path) -> str:
    """A private copy of a SQLite shop database (built once per test run)."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="shop-template-"))
        asyncio.run(shop_database(f"sqlite+aiosqlite:///{folder / 'shop.db'}"))
        _template = folder / "shop.db"
    target = tmp_path / "shop.db"
    shutil.copyfile(_template, target)
    return f"sqlite+aiosqlite:///{target}"


@asynccontextmanager
async def shop_inbox(url: str, rasa_url: str, **overrides: Any) -> AsyncIterator[Inbox]:
    """The inbox API on that database."""
    running, lifespan = await start_inbox(make_settings(url, rasa_url, **overrides))
    try:
        yield running
    finally:
        await running.client.aclose()
        await lifespan.__aexit__(None, None, None)


async def verified(url: str, customer: str, number: str) -> None:
    """Record that `customer` ("<channel>:<sender id>") proved `number` is theirs."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO verification_attempts (order_number, customer, succeeded, "
                    "attempted_at) VALUES (:n, :c, :s, :a)"
                ),
                {"n": number, "c": customer, "s": True, "a": utc_now()},
            )
    finally:
        await engine.dispose()


async def put_on_sale(url: str, sku: str, sale_price: str) -> None:
    """Change a product's sale price in the catalogue, as the shop's back office would."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE products SET sale_price = :price WHERE sku = :sku"),
                {"price": sale_price, "sku": sku},
            )
    finally:
        await engine.dispose()
