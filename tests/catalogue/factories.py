"""Small builders for catalogue tests: fixed clock, migrated databases, a seeded SQLite copy."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from catalogue.migrate import upgrade
from catalogue.models import Base, Event, Order, OrderLine, OrderStatus, Product, Variant
from catalogue.repository import Catalogue
from catalogue.search import build_search_text
from catalogue.seed import seed
from kit.database import create_engine, session_factory

# Tuesday 1 December 2026, 10:00 in Amsterdam: every seeded date is relative to this.
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

_migrated: set[str] = set()
_template: Path | None = None


async def migrate(url: str) -> None:
    """Bring `url` to the newest catalogue schema (once per URL per test run)."""
    if url not in _migrated:
        await asyncio.to_thread(upgrade, url)
        _migrated.add(url)


async def empty_tables(url: str) -> None:
    """Delete every catalogue row (other packages' tables in the same database are untouched)."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                names = ", ".join(table.name for table in Base.metadata.sorted_tables)
                await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(Base.metadata.sorted_tables):
                    await connection.execute(table.delete())
    finally:
        await engine.dispose()


async def seed_at(url: str, now: datetime = NOW) -> None:
    """Seed the demo data as if today were `now`."""
    engine = create_engine(url)
    try:
        await seed(session_factory(engine), now)
    finally:
        await engine.dispose()


def _build_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="catalogue-template-"))
    url = f"sqlite+aiosqlite:///{folder / 'seeded.db'}"
    upgrade(url)
    asyncio.run(seed_at(url))
    return folder / "seeded.db"


def seeded_sqlite_url(tmp_path: Path) -> str:
    """A private copy of a SQLite database seeded at NOW (migrated and seeded once per run)."""
    global _template
    if _template is None:
        with ThreadPoolExecutor(1) as pool:
            _template = pool.submit(_build_template).result()
    target = tmp_path / "catalogue.db"
    shutil.copyfile(_template, target)
    return f"sqlite+aiosqlite:///{target}"


def make_catalogue(url: str, now: datetime = NOW) -> Catalogue:
    """A catalogue on `url` whose clock stands still at `now`."""
    return Catalogue.from_url(url, clock=lambda: now)


async def add_product(
    sessions: async_sessionmaker[AsyncSession],
    *,
    sku: str,
    name_en: str,
    name_nl: str,
    category: str = "dresses",
    price: str = "10.00",
    colors: tuple[str, ...] = ("black",),
    sizes: tuple[str, ...] = ("M",),
    returnable: bool = True,
) -> Product:
    """One active product with a variant per size and colour, 3 in stock each."""
    product = Product(
        sku=sku,
        category=category,
        name_en=name_en,
        name_nl=name_nl,
        description_en=name_en,
        description_nl=name_nl,
        material_en="cotton",
        material_nl="katoen",
        care_en="Wash at 30 °C.",
        care_nl="Wassen op 30 °C.",
        price=Decimal(price),
        returnable=returnable,
        search_text=build_search_text(
            names=(name_en, name_nl), category=category, colors=colors, materials=("cotton",)
        ),
    )
    product.variants = [Variant(size=s, color=c, stock=3) for c in colors for s in sizes]
    async with sessions() as session, session.begin():
        session.add(product)
    return product


async def add_order(
    sessions: async_sessionmaker[AsyncSession],
    *,
    number: str,
    variant_ids: list[int],
    delivered_at: datetime | None,
    status: OrderStatus = OrderStatus.DELIVERED,
    email: str = "klant@example.nl",
    postcode: str = "1234AB",
) -> None:
    """An order of the given variants at 10.00 each."""
    order = Order(
        number=number,
        email=email,
        postcode=postcode,
        status=status,
        placed_at=(delivered_at or NOW),
        delivered_at=delivered_at,
    )
    order.lines = [
        OrderLine(variant_id=variant_id, quantity=1, unit_price=Decimal("10.00"))
        for variant_id in variant_ids
    ]
    async with sessions() as session, session.begin():
        session.add(order)


async def add_event(
    sessions: async_sessionmaker[AsyncSession],
    *,
    slug: str,
    starts_at: datetime,
    capacity: int | None,
    title_en: str = "Test evening",
    title_nl: str = "Testavond",
) -> int:
    """An event in Amsterdam lasting two hours; returns its id."""
    event = Event(
        slug=slug,
        title_en=title_en,
        title_nl=title_nl,
        description_en="-",
        description_nl="-",
        city="Amsterdam",
        venue="Linde & Co Amsterdam",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        price=Decimal("0"),
        registration_required=capacity is not None,
        capacity=capacity,
        places_taken=0,
    )
    async with sessions() as session, session.begin():
        session.add(event)
        await session.flush()
        return event.id
