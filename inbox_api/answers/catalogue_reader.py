"""Read-only SQL over the catalogue's tables (docs/contracts.md, "Catalogue facts for the inbox").

The inbox may not import `catalogue` (README boundaries), and both live in one database, so
the inbox reads the few columns it shows with plain SQL. The columns named here are a
contract: tests/inbox_api/answers/test_catalogue_contract.py runs these statements against the
catalogue's own migrations and seed, so a renamed column fails there, not on an agent's page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, Integer, Numeric, String, column, text
from sqlalchemy.ext.asyncio import AsyncSession

from kit.orm import UtcDateTime

_NON_WORD = re.compile(r"[^a-z0-9]+")
MAX_PRODUCTS = 3


@dataclass(frozen=True)
class VariantFacts:
    """One size and colour of a product."""

    size: str
    color: str
    stock: int
    restock_date: date | None


@dataclass(frozen=True)
class ProductFacts:
    """A product as the catalogue has it now."""

    sku: str
    name_nl: str
    name_en: str
    category: str
    price: Decimal
    sale_price: Decimal | None
    returnable: bool
    variants: tuple[VariantFacts, ...]

    def name(self, language: str) -> str:
        """The product name in the ticket's language."""
        return self.name_nl if language == "nl" else self.name_en


@dataclass(frozen=True)
class OrderLineFacts:
    """One line of an order."""

    product_name_nl: str
    product_name_en: str
    category: str
    returnable: bool
    size: str
    color: str
    quantity: int


@dataclass(frozen=True)
class OrderFacts:
    """An order's state as the catalogue has it now."""

    number: str
    status: str
    placed_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    carrier: str | None
    tracking_code: str | None
    lines: tuple[OrderLineFacts, ...]


def search_words(value: str) -> list[str]:
    """Lower-case, accent-free words of a product mention (as the catalogue's search_text)."""
    decomposed = unicodedata.normalize("NFKD", value.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return [w for w in _NON_WORD.split(plain) if len(w) >= 2][:6]


# Typed result columns: SQLite hands back text, so the values go through the same types
# the catalogue stores them with (kit's UtcDateTime, Date, Numeric).
_MONEY = Numeric(10, 2, asdecimal=True)


async def products_named(session: AsyncSession, mention: str) -> list[ProductFacts]:
    """Active products whose name or search words contain every word of `mention`."""
    words = search_words(mention)
    if not words:
        return []
    clauses = " AND ".join(f"p.search_text LIKE :w{i}" for i in range(len(words)))
    params: dict[str, object] = {f"w{i}": f"% {w}%" for i, w in enumerate(words)}
    rows = (
        await session.execute(
            text(
                "SELECT p.id, p.sku, p.name_nl, p.name_en, p.category, p.price, p.sale_price, "
                "p.returnable FROM products p "
                f"WHERE p.active AND {clauses} ORDER BY p.id LIMIT {MAX_PRODUCTS}"
            ).columns(
                column("id", Integer), column("sku", String), column("name_nl", String),
                column("name_en", String), column("category", String), column("price", _MONEY),
                column("sale_price", _MONEY), column("returnable", Boolean),
            ),
            params,
        )
    ).all()
    if not rows:
        return []
    ids = [row.id for row in rows]
    variant_rows = (
        await session.execute(
            text(
                "SELECT product_id, size, color, stock, restock_date FROM variants "
                "WHERE product_id IN (" + ", ".join(str(int(i)) for i in ids) + ") ORDER BY id"
            ).columns(
                column("product_id", Integer), column("size", String), column("color", String),
                column("stock", Integer), column("restock_date", Date),
            )
        )
    ).all()
    variants: dict[int, list[VariantFacts]] = {i: [] for i in ids}
    for v in variant_rows:
        variants[v.product_id].append(
            VariantFacts(v.size, v.color, v.stock, v.restock_date)
        )
    return [
        ProductFacts(
            sku=row.sku,
            name_nl=row.name_nl,
            name_en=row.name_en,
            category=row.category,
            price=row.price,
            sale_price=row.sale_price,
            returnable=row.returnable,
            variants=tuple(variants[row.id]),
        )
        for row in rows
    ]


async def verified_order_numbers(session: AsyncSession, customer: str) -> list[str]:
    """Order numbers this conversation proved to be its own (a successful verification)."""
    rows = await session.scalars(
        text(
            "SELECT DISTINCT order_number FROM verification_attempts "
            "WHERE customer = :customer AND succeeded"
        ),
        {"customer": customer},
    )
    return sorted(str(n) for n in rows)


async def order_by_number(session: AsyncSession, number: str) -> OrderFacts | None:
    """The order with this number, its lines and their products; None when unknown."""
    row = (
        await session.execute(
            text(
                "SELECT id, number, status, placed_at, shipped_at, delivered_at, carrier, "
                "tracking_code FROM orders WHERE number = :number"
            ).columns(
                column("id", Integer), column("number", String), column("status", String),
                column("placed_at", UtcDateTime), column("shipped_at", UtcDateTime),
                column("delivered_at", UtcDateTime), column("carrier", String),
                column("tracking_code", String),
            ),
            {"number": number},
        )
    ).first()
    if row is None:
        return None
    lines = (
        await session.execute(
            text(
                "SELECT p.name_nl, p.name_en, p.category, p.returnable, v.size, v.color, "
                "l.quantity FROM order_lines l JOIN variants v ON v.id = l.variant_id "
                "JOIN products p ON p.id = v.product_id WHERE l.order_id = :order_id "
                "ORDER BY l.id"
            ).columns(
                column("name_nl", String), column("name_en", String), column("category", String),
                column("returnable", Boolean), column("size", String), column("color", String),
                column("quantity", Integer),
            ),
            {"order_id": row.id},
        )
    ).all()
    return OrderFacts(
        number=row.number,
        status=row.status,
        placed_at=row.placed_at,
        shipped_at=row.shipped_at,
        delivered_at=row.delivered_at,
        carrier=row.carrier,
        tracking_code=row.tracking_code,
        lines=tuple(
            OrderLineFacts(
                line.name_nl, line.name_en, line.category, line.returnable,
                line.size, line.color, line.quantity,
            )
            for line in lines
        ),
    )
