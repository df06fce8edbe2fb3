"""Demo data for Linde & Co: products, orders, returns and events, dated from the seeding day."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from catalogue.models import (
    Event,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    RefundStatus,
    Return,
    ReturnLine,
    ReturnStatus,
    Variant,
)
from catalogue.return_policy import NON_RETURNABLE_CATEGORIES, STORE_TIMEZONE
from catalogue.search import build_search_text

LETTER_SIZES = ("XS", "S", "M", "L", "XL")
WAIST_SIZES = tuple(str(waist) for waist in range(28, 37))
SHOE_SIZES = tuple(str(size) for size in range(36, 43))
ONE_SIZE = ("ONE SIZE",)


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
    price: str
    colors: tuple[str, ...]
    sizes: tuple[str, ...]
    sale_price: str | None = None
    fit_en: str | None = None
    fit_nl: str | None = None
    # (size, color) -> (stock, days from seeding until restock, or None)
    stock: dict[tuple[str, str], tuple[int, int | None]] = field(default_factory=dict)


_CARE = {
    "cotton": ("Machine wash at 30 °C.", "Wassen op 30 °C."),
    "wool": ("Hand wash cold, dry flat.", "Koud met de hand wassen, liggend drogen."),
    "delicate": (
        "Gentle cycle at 30 °C, do not tumble dry.",
        "Fijnwas op 30 °C, niet in de droger.",
    ),
    "leather": ("Wipe clean with a damp cloth.", "Afnemen met een vochtige doek."),
    "metal": ("Keep dry, store in the pouch.", "Droog houden, bewaren in het zakje."),
}

ANCHORS: tuple[ProductSpec, ...] = (
    ProductSpec(
        "LC-DR-LINA",
        "dresses",
        "Lina wrap dress",
        "Lina wikkeljurk",
        "viscose",
        "viscose",
        "Gentle cycle at 30 °C, do not tumble dry.",
        "Fijnwas op 30 °C, niet in de droger.",
        "79.95",
        ("terracotta", "navy"),
        LETTER_SIZES,
        fit_en="True to size, adjustable wrap tie.",
        fit_nl="Valt normaal, verstelbare strik.",
        stock={("M", "terracotta"): (0, 14), ("M", "navy"): (4, None)},
    ),
    ProductSpec(
        "LC-KN-NOOR",
        "knitwear",
        "Noor merino sweater",
        "Noor merino trui",
        "100% merino wool",
        "100% merinowol",
        "Hand wash cold, dry flat.",
        "Koud met de hand wassen, liggend drogen.",
        "89.95",
        ("ecru", "grey"),
        ("S", "M", "L", "XL"),
        stock={("XL", "ecru"): (0, None), ("XL", "grey"): (0, None)},
    ),
    ProductSpec(
        "LC-JE-RAVI",
        "jeans",
        "Ravi jeans",
        "Ravi jeans",
        "organic cotton denim",
        "biologisch katoenen denim",
        "Machine wash at 30 °C inside out.",
        "Binnenstebuiten wassen op 30 °C.",
        "99.95",
        ("blue",),
        WAIST_SIZES,
        fit_en="Runs small: size up.",
        fit_nl="Valt klein: neem een maat groter.",
    ),
    ProductSpec(
        "LC-CO-STORM",
        "coats",
        "Storm raincoat",
        "Storm regenjas",
        "recycled polyester, waterproof",
        "gerecycled polyester, waterdicht",
        "Machine wash at 30 °C, do not iron.",
        "Wassen op 30 °C, niet strijken.",
        "129.95",
        ("black", "navy"),
        LETTER_SIZES,
        sale_price="103.96",
    ),
    ProductSpec(
        "LC-SH-MILA",
        "shirts",
        "Mila linen shirt",
        "Mila linnen blouse",
        "100% linen",
        "100% linnen",
        "Wash at 30 °C.",
        "Wassen op 30 °C.",
        "59.95",
        ("white", "sage"),
        LETTER_SIZES,
    ),
    ProductSpec(
        "LC-AC-SVEN",
        "accessories",
        "Sven wool scarf",
        "Sven wollen sjaal",
        "lambswool",
        "lamswol",
        "Hand wash cold, dry flat.",
        "Koud met de hand wassen, liggend drogen.",
        "39.95",
        ("camel", "grey"),
        ONE_SIZE,
    ),
)

# sku, category, English name, Dutch name, material en/nl, care kind, price, sale, colours
# fmt: off
_RANGE: tuple[tuple[str, str, str, str, str, str, str, str, str | None, tuple[str, ...]], ...] = (
    ("LC-DR-FENNA", "dresses", "Fenna midi dress", "Fenna midi-jurk",
     "viscose crepe", "viscose crêpe", "delicate", "89.95", None, ("red", "black")),
    ("LC-DR-ROSA", "dresses", "Rosa slip dress", "Rosa slipdress",
     "satin", "satijn", "delicate", "69.95", "49.95", ("red", "sage")),
    ("LC-DR-IVY", "dresses", "Ivy shirt dress", "Ivy blousejurk",
     "organic cotton", "biologisch katoen", "cotton", "74.95", None, ("white", "blue")),
    ("LC-DR-LOTTE", "dresses", "Lotte knitted dress", "Lotte gebreide jurk",
     "wool blend", "wolmix", "wool", "99.95", None, ("camel", "black")),
    ("LC-DR-SARA", "dresses", "Sara maxi dress", "Sara maxi-jurk",
     "linen", "linnen", "cotton", "109.95", None, ("terracotta", "white")),
    ("LC-KN-ELIN", "knitwear", "Elin cable cardigan", "Elin kabelvest",
     "lambswool", "lamswol", "wool", "94.95", None, ("ecru", "green")),
    ("LC-KN-BRAM", "knitwear", "Bram crew-neck sweater", "Bram trui met ronde hals",
     "organic cotton", "biologisch katoen", "cotton", "69.95", None, ("navy", "grey")),
    ("LC-KN-JUUL", "knitwear", "Juul mohair sweater", "Juul mohair trui",
     "mohair blend", "mohairmix", "wool", "119.95", "95.95", ("pink", "red")),
    ("LC-KN-TIES", "knitwear", "Ties cashmere jumper", "Ties kasjmier trui",
     "100% cashmere", "100% kasjmier", "wool", "159.95", None, ("camel", "black")),
    ("LC-JE-JOEP", "jeans", "Joep straight jeans", "Joep straight jeans",
     "organic cotton denim", "biologisch katoenen denim",
     "cotton", "89.95", None, ("blue", "black")),
    ("LC-JE-FLOOR", "jeans", "Floor wide-leg jeans", "Floor wijde jeans",
     "cotton denim", "katoenen denim", "cotton", "94.95", None, ("blue", "ecru")),
    ("LC-JE-MAX", "jeans", "Max slim jeans", "Max slim jeans",
     "stretch denim", "stretchdenim", "cotton", "79.95", "63.95", ("black", "grey")),
    ("LC-CO-WOUT", "coats", "Wout wool coat", "Wout wollen jas",
     "wool blend", "wolmix", "wool", "229.95", None, ("camel", "navy")),
    ("LC-CO-ISA", "coats", "Isa trench coat", "Isa trenchcoat",
     "organic cotton gabardine", "biologisch katoenen gabardine",
     "cotton", "179.95", None, ("beige", "black")),
    ("LC-CO-DAAN", "coats", "Daan puffer jacket", "Daan gewatteerde jas",
     "recycled nylon", "gerecycled nylon", "delicate", "159.95", "127.95", ("black", "green")),
    ("LC-CO-NINA", "coats", "Nina denim jacket", "Nina spijkerjasje",
     "cotton denim", "katoenen denim", "cotton", "84.95", None, ("blue",)),
    ("LC-SH-TEUN", "shirts", "Teun oxford shirt", "Teun oxford overhemd",
     "organic cotton", "biologisch katoen", "cotton", "64.95", None, ("white", "blue")),
    ("LC-SH-ZOE", "shirts", "Zoë silk blouse", "Zoë zijden blouse",
     "100% silk", "100% zijde", "delicate", "119.95", None, ("ecru", "red")),
    ("LC-SH-KEES", "shirts", "Kees flannel shirt", "Kees flanellen overhemd",
     "cotton flannel", "katoenen flanel", "cotton", "69.95", None, ("red", "green")),
    ("LC-SH-EVA", "shirts", "Eva striped top", "Eva gestreepte top",
     "cotton jersey", "katoenen jersey", "cotton", "34.95", "27.95", ("navy", "white")),
    ("LC-AC-LOES", "accessories", "Loes leather belt", "Loes leren riem",
     "vegetable-tanned leather", "plantaardig gelooid leer",
     "leather", "49.95", None, ("brown", "black")),
    ("LC-AC-BOB", "accessories", "Bob beanie", "Bob muts",
     "merino wool", "merinowol", "wool", "29.95", None, ("mustard", "navy")),
    ("LC-AC-TESS", "accessories", "Tess tote bag", "Tess shopper",
     "recycled canvas", "gerecycled canvas", "cotton", "44.95", None, ("ecru", "black")),
    ("LC-AC-FIEN", "accessories", "Fien silk scarf", "Fien zijden sjaal",
     "100% silk", "100% zijde", "delicate", "54.95", None, ("red", "blue")),
    ("LC-TR-HUGO", "trousers", "Hugo pleated trousers", "Hugo pantalon met plooien",
     "wool blend", "wolmix", "wool", "109.95", None, ("grey", "navy")),
    ("LC-TR-PIP", "trousers", "Pip linen trousers", "Pip linnen broek",
     "100% linen", "100% linnen", "cotton", "79.95", "59.95", ("sage", "beige")),
    ("LC-TR-LEX", "trousers", "Lex chinos", "Lex chino",
     "organic cotton twill", "biologisch katoenen twill",
     "cotton", "74.95", None, ("beige", "navy")),
    ("LC-TR-JIP", "trousers", "Jip corduroy trousers", "Jip ribbroek",
     "cotton corduroy", "katoenen ribfluweel", "cotton", "84.95", None, ("brown", "green")),
    ("LC-SK-ANNE", "skirts", "Anne pleated skirt", "Anne plooirok",
     "recycled polyester", "gerecycled polyester", "delicate", "69.95", None, ("navy", "sage")),
    ("LC-SK-MEIKE", "skirts", "Meike denim skirt", "Meike spijkerrok",
     "cotton denim", "katoenen denim", "cotton", "59.95", None, ("blue",)),
    ("LC-SK-NOVA", "skirts", "Nova wool skirt", "Nova wollen rok",
     "wool blend", "wolmix", "wool", "79.95", None, ("grey", "red")),
    ("LC-SO-KOEN", "shoes", "Koen leather sneakers", "Koen leren sneakers",
     "leather", "leer", "leather", "119.95", None, ("white", "black")),
    ("LC-SO-ROOS", "shoes", "Roos ankle boots", "Roos enkellaarzen",
     "suede", "suède", "leather", "149.95", "119.95", ("brown", "black")),
    ("LC-SO-LIV", "shoes", "Liv loafers", "Liv loafers",
     "leather", "leer", "leather", "129.95", None, ("black", "brown")),
    ("LC-EA-STER", "earrings", "Ster gold hoops", "Ster gouden oorringen",
     "gold-plated silver", "verguld zilver", "metal", "39.95", None, ("gold",)),
    ("LC-EA-DRUP", "earrings", "Drup pearl earrings", "Drup parel oorbellen",
     "freshwater pearl, silver", "zoetwaterparel, zilver", "metal", "44.95", None, ("silver",)),
    ("LC-UN-BO", "underwear", "Bo cotton briefs", "Bo katoenen slip",
     "organic cotton", "biologisch katoen", "cotton", "14.95", None, ("white", "black")),
    ("LC-UN-JET", "underwear", "Jet lace bra", "Jet kanten beha",
     "recycled lace", "gerecycled kant", "delicate", "39.95", None, ("black", "beige")),
)
# fmt: on

_SIZES_BY_CATEGORY = {
    "jeans": WAIST_SIZES,
    "trousers": WAIST_SIZES,
    "shoes": SHOE_SIZES,
    "accessories": ONE_SIZE,
    "earrings": ONE_SIZE,
}


def range_specs() -> tuple[ProductSpec, ...]:
    """The rest of the range (beyond the anchors), as product specs."""
    specs = []
    for sku, category, name_en, name_nl, mat_en, mat_nl, care, price, sale, colors in _RANGE:
        care_en, care_nl = _CARE[care]
        specs.append(
            ProductSpec(
                sku,
                category,
                name_en,
                name_nl,
                mat_en,
                mat_nl,
                care_en,
                care_nl,
                price,
                colors,
                _SIZES_BY_CATEGORY.get(category, LETTER_SIZES),
                sale_price=sale,
            )
        )
    return tuple(specs)


def _descriptions(spec: ProductSpec) -> tuple[str, str]:
    return (
        f"{spec.name_en} from Linde & Co, made of {spec.material_en}.",
        f"{spec.name_nl} van Linde & Co, gemaakt van {spec.material_nl}.",
    )


def build_product(spec: ProductSpec, today: date, rng: random.Random) -> Product:
    """A Product with its variants from a spec; stock not pinned by the spec is random but > 0."""
    description_en, description_nl = _descriptions(spec)
    product = Product(
        sku=spec.sku,
        category=spec.category,
        name_en=spec.name_en,
        name_nl=spec.name_nl,
        description_en=description_en,
        description_nl=description_nl,
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


def at_local(day: date, hour: int, minute: int = 0) -> datetime:
    """An instant at a wall-clock time in the stores' time zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=STORE_TIMEZONE)


@dataclass(frozen=True)
class EventSpec:
    """One event of the seed, dated relative to the seeding day."""

    slug: str
    title_en: str
    title_nl: str
    description_en: str
    description_nl: str
    city: str
    venue: str
    days_from_seed: int
    start: tuple[int, int]
    end: tuple[int, int]
    price: str
    capacity: int | None


EVENTS: tuple[EventSpec, ...] = (
    EventSpec(
        "autumn-fashion-show",
        "Autumn fashion show",
        "Najaarsmodeshow",
        "Our new autumn collection on the catwalk, with drinks afterwards.",
        "Onze nieuwe najaarscollectie op de catwalk, met een drankje na afloop.",
        "Amsterdam",
        "Linde & Co Amsterdam, Herengracht 212",
        20,
        (19, 0),
        (21, 0),
        "0",
        80,
    ),
    EventSpec(
        "styling-workshop",
        "Styling workshop",
        "Stylingworkshop",
        "Two hours with our stylists: build five outfits from ten pieces.",
        "Twee uur met onze stylisten: maak vijf outfits van tien items.",
        "Utrecht",
        "Linde & Co Utrecht, Oudegracht 141",
        14,
        (14, 0),
        (16, 0),
        "15",
        12,
    ),
    EventSpec(
        "sample-sale",
        "Sample sale",
        "Sample sale",
        "Samples and last pieces at reduced prices. Just walk in, no registration needed.",
        "Samples en laatste stuks voor lagere prijzen. "
        "Loop gewoon binnen, aanmelden is niet nodig.",
        "Rotterdam",
        "Linde & Co Rotterdam, Witte de Withstraat 36",
        55,
        (10, 0),
        (17, 0),
        "0",
        None,
    ),
    EventSpec(
        "summer-preview",
        "Summer preview evening",
        "Zomerpreview-avond",
        "A first look at the summer collection.",
        "Een eerste blik op de zomercollectie.",
        "Amsterdam",
        "Linde & Co Amsterdam, Herengracht 212",
        -30,
        (19, 0),
        (21, 0),
        "0",
        40,
    ),
)


def build_event(spec: EventSpec, today: date) -> Event:
    """An Event from its spec, on a day relative to `today`."""
    day = today + timedelta(days=spec.days_from_seed)
    return Event(
        slug=spec.slug,
        title_en=spec.title_en,
        title_nl=spec.title_nl,
        description_en=spec.description_en,
        description_nl=spec.description_nl,
        city=spec.city,
        venue=spec.venue,
        starts_at=at_local(day, *spec.start),
        ends_at=at_local(day, *spec.end),
        price=Decimal(spec.price),
        registration_required=spec.capacity is not None,
        capacity=spec.capacity,
        places_taken=0,
    )


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


ANCHOR_ORDERS: tuple[OrderSpec, ...] = (
    OrderSpec(
        "100234",
        "sanne.devries@example.nl",
        "1012AB",
        OrderStatus.DELIVERED,
        13,
        12,
        10,
        (("LC-DR-LINA", "M", "navy"), ("LC-AC-SVEN", "ONE SIZE", "camel")),
    ),
    OrderSpec(
        "100512",
        "tom.bakker@example.com",
        "3511KJ",
        OrderStatus.SHIPPED,
        2,
        1,
        None,
        (("LC-KN-NOOR", "M", "grey"),),
    ),
    OrderSpec(
        "100007",
        "emma.jansen@example.nl",
        "3011AD",
        OrderStatus.DELIVERED,
        48,
        47,
        45,
        (("LC-SH-MILA", "S", "white"),),
    ),
    OrderSpec(
        "100419",
        "lucas.visser@example.com",
        "2011HB",
        OrderStatus.DELIVERED,
        15,
        14,
        12,
        (("LC-JE-RAVI", "32", "blue"),),
    ),
)

GENERATED_ORDERS_PER_STATUS = 21
_CARRIERS = ("PostNL", "DHL", "DPD")


def generated_order_specs(rng: random.Random, skus: Sequence[ProductSpec]) -> list[OrderSpec]:
    """Enough orders that every status has at least 20, deterministic for a given rng."""
    specs = []
    number = 101000
    for status in OrderStatus:
        for _ in range(GENERATED_ORDERS_PER_STATUS):
            number += 1
            placed = rng.randint(1, 60)
            shipped = delivered = None
            if status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED):
                shipped = max(placed - 1, 0)
            if status is OrderStatus.DELIVERED:
                delivered = max((shipped or 0) - 2, 0)
            lines = []
            for spec in rng.sample(list(skus), rng.randint(1, 3)):
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
        carrier=_CARRIERS[int(spec.number) % len(_CARRIERS)] if shipped_at else None,
        tracking_code=f"3SLDC{spec.number}NL" if shipped_at else None,
    )
    order.lines = [
        OrderLine(variant=variants[key], quantity=1, unit_price=prices[key[0]])
        for key in spec.lines
    ]
    order.returns = []
    return order


@dataclass
class SeedReport:
    """How many rows a seed run added."""

    products: int = 0
    orders: int = 0
    returns: int = 0
    events: int = 0

    @property
    def changed(self) -> bool:
        """True when the run added anything."""
        return any((self.products, self.orders, self.returns, self.events))

    def summary(self) -> str:
        """One sentence for the command line."""
        if not self.changed:
            return "Catalogue already seeded: nothing changed."
        return (
            f"Seeded {self.products} products, {self.orders} orders, {self.returns} returns "
            f"and {self.events} events."
        )


async def seed(sessions: async_sessionmaker[AsyncSession], now: datetime) -> SeedReport:
    """Add whatever part of the demo data is missing (by SKU, order number, slug); idempotent."""
    today = now.astimezone(STORE_TIMEZONE).date()
    rng = random.Random(20261122)
    report = SeedReport()
    all_specs = ANCHORS + range_specs()
    async with sessions() as session, session.begin():
        existing_skus = set((await session.scalars(select(Product.sku))).all())
        for spec in all_specs:
            # Built even when present so the random stream, and thus the data, never shifts.
            product = build_product(spec, today, rng)
            if spec.sku not in existing_skus:
                session.add(product)
                report.products += 1
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

        existing_orders = set((await session.scalars(select(Order.number))).all())
        orders: dict[str, Order] = {}
        for order_spec in (*ANCHOR_ORDERS, *generated_order_specs(rng, all_specs)):
            if order_spec.number in existing_orders:
                continue
            order = build_order(order_spec, now, variants, prices)
            session.add(order)
            orders[order.number] = order
            report.orders += 1
        await session.flush()

        refund_pending = orders.get("100419")
        if refund_pending is not None:
            line = refund_pending.lines[0]
            session.add(
                Return(
                    number="R100419-1",
                    order=refund_pending,
                    reason="Too small / te klein",
                    status=ReturnStatus.RECEIVED,
                    refund_status=RefundStatus.PENDING,
                    refund_amount=line.unit_price * line.quantity,
                    created_at=now - timedelta(days=8),
                    received_at=now - timedelta(days=2),
                    refunded_at=None,
                    lines=[ReturnLine(order_line=line, quantity=line.quantity)],
                )
            )
            report.returns += 1

        existing_events = set((await session.scalars(select(Event.slug))).all())
        for event_spec in EVENTS:
            if event_spec.slug not in existing_events:
                session.add(build_event(event_spec, today))
                report.events += 1
    return report
