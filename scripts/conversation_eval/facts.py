"""Seed references ("price:LC-DR-LINA") turned into what a reply must (not) contain.

The facts come from catalogue/seed_data through the seed's own reader, so a price or a date
that changes in the data changes the expectation with it instead of breaking it silently.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date

from catalogue.return_policy import local_date
from catalogue.seed import EventSpec, OrderSpec, ProductSpec, SeedData, load_seed_data
from catalogue.vocabulary import COLORS
from kit.clock import utc_now

LANGUAGES = ("en", "nl")
_LOCALE = {"en": "en_GB", "nl": "nl_NL"}


class FactError(ValueError):
    """A reference that names nothing in the seed data, or a kind the harness does not know."""


def normalise(text: str) -> str:
    """Lower case, accents and no-break spaces gone, runs of white space as one space."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\xa0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass(frozen=True)
class Matcher:
    """One fact: found when any of its patterns matches the normalised reply."""

    label: str
    patterns: tuple[re.Pattern[str], ...]

    def found_in(self, normalised_reply: str) -> bool:
        return any(p.search(normalised_reply) for p in self.patterns)


def literal(label: str, *alternatives: str) -> Matcher:
    """Any of these texts, compared normalised (case and accents do not matter)."""
    return Matcher(
        label, tuple(re.compile(re.escape(normalise(a))) for a in alternatives if normalise(a))
    )


def word(label: str, *alternatives: str) -> Matcher:
    """Any of these as whole words (so size "s" does not match inside "sizes")."""
    return Matcher(
        label,
        tuple(re.compile(rf"(?<![\w-]){re.escape(normalise(a))}(?![\w-])") for a in alternatives),
    )


def amount(label: str, value: str) -> Matcher:
    """A euro amount however it is written: 79.95, 79,95, €79.95, € 79,95; 15 also as 15,00."""
    euros, _, cents = value.partition(".")
    cents = cents or "00"
    if cents == "00":
        pattern = rf"(?<![\d.,]){euros}(?:[.,]00|,-)?(?![\d]|[.,]\d)"
    else:
        pattern = rf"(?<![\d.,]){euros}[.,]{cents}(?!\d)"
    return Matcher(label, (re.compile(pattern),))


def day(label: str, when: date, language: str) -> Matcher:
    """A calendar day as a reply writes it: "12 December" / "12 december", 12-12, 2026-12-12."""
    month = format_date(when, "d MMMM", locale=_LOCALE[language])
    return Matcher(
        label,
        (
            re.compile(re.escape(normalise(month))),
            re.compile(rf"(?<!\d){when.day}[-/.]{when.month}(?!\d)"),
            re.compile(re.escape(when.isoformat())),
        ),
    )


# What a reply says about an order in each status; the statuses are the catalogue's own.
_ORDER_STATUS_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "processing": {
        "en": ("being prepared", "processing"), "nl": ("klaargemaakt", "in behandeling")
    },
    "shipped": {"en": ("on its way", "shipped"), "nl": ("onderweg", "verzonden")},
    "delivered": {"en": ("delivered",), "nl": ("bezorgd", "geleverd")},
    "cancelled": {"en": ("cancelled", "canceled"), "nl": ("geannuleerd",)},
}


class SeedFacts:
    """Resolves references against one copy of the seed data, for the day the stack was seeded."""

    def __init__(self, seed: SeedData | None = None, today: date | None = None) -> None:
        self.seed = seed or load_seed_data()
        # The seed dates the demo from the stores' calendar day, as the stack did when it started.
        self.today = today or local_date(utc_now())
        self.products = {p.sku: p for p in self.seed.products}
        self.events = {e.slug: e for e in self.seed.events}
        self.orders = {o.number: o for o in self.seed.orders}
        self.returns = {r.number: r for r in self.seed.returns}
        self._kinds: dict[str, Callable[[str, str], list[Matcher]]] = {
            "product": self._product,
            "price": self._price,
            "regular_price": self._regular_price,
            "sale": self._sale,
            "material": self._material,
            "care": self._care,
            "fit": self._fit,
            "sizes": self._sizes,
            "size": self._size,
            "colors": self._colors,
            "color": self._color,
            "restock": self._restock,
            "order": self._order,
            "order_status": self._order_status,
            "private": self._private,
            "return": self._return,
            "event": self._event,
            "event_price": self._event_price,
            "event_date": self._event_date,
            "event_time": self._event_time,
            "event_city": self._event_city,
            "event_venue": self._event_venue,
            "store": self._store,
        }

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    def resolve(self, reference: str, language: str) -> list[Matcher]:
        """Every matcher a reference stands for (all must be found, or for `forbid` none)."""
        kind, sep, argument = reference.partition(":")
        if not sep or kind not in self._kinds:
            raise FactError(
                f"unknown fact {reference!r}: write kind:argument with kind one of "
                f"{', '.join(self._kinds)}"
            )
        if language not in LANGUAGES:
            raise FactError(f"fact {reference!r} needs the reply language en or nl")
        return self._kinds[kind](argument.strip(), language)

    # --- products
    def _spec(self, sku: str) -> ProductSpec:
        try:
            return self.products[sku]
        except KeyError:
            raise FactError(f"no product {sku!r} in catalogue/seed_data/products.yml") from None

    @staticmethod
    def _name(spec: ProductSpec, language: str) -> str:
        return spec.name_nl if language == "nl" else spec.name_en

    def _product(self, sku: str, language: str) -> list[Matcher]:
        spec = self._spec(sku)
        return [literal(f"product name {self._name(spec, language)!r}", self._name(spec, language))]

    def _price(self, sku: str, language: str) -> list[Matcher]:
        spec = self._spec(sku)
        current = spec.sale_price or spec.price
        return [amount(f"price of {spec.sku} ({current})", current)]

    def _regular_price(self, sku: str, language: str) -> list[Matcher]:
        spec = self._spec(sku)
        return [amount(f"regular price of {spec.sku} ({spec.price})", spec.price)]

    def _sale(self, sku: str, language: str) -> list[Matcher]:
        spec = self._spec(sku)
        if spec.sale_price is None:
            raise FactError(f"{sku} has no sale_price in the seed data")
        return [
            amount(f"sale price of {sku} ({spec.sale_price})", spec.sale_price),
            amount(f"regular price of {sku} ({spec.price})", spec.price),
        ]

    def _material(self, sku: str, language: str) -> list[Matcher]:
        spec = self._spec(sku)
        text = spec.material_nl if language == "nl" else spec.material_en
        return [literal(f"material {text!r}", text)]

    def _care(self, sku: str, language: str) -> list[Matcher]:
        spec = self._spec(sku)
        text = spec.care_nl if language == "nl" else spec.care_en
        # The care label's key instruction, e.g. "30 °c" or "hand wash": its first clause.
        first = re.split(r"[,.]", text)[0]
        return [literal(f"care {first!r}", first)]

    def _fit(self, sku: str, language: str) -> list[Matcher]:
        spec = self._spec(sku)
        text = spec.fit_nl if language == "nl" else spec.fit_en
        if not text:
            raise FactError(f"{sku} has no fit in the seed data")
        first = re.split(r"[,.:]", text)[0]
        return [literal(f"fit {first!r}", first)]

    def _sizes(self, sku: str, language: str) -> list[Matcher]:
        spec = self._spec(sku)
        return [word(f"size {size}", size) for size in spec.sizes]

    def _size(self, argument: str, language: str) -> list[Matcher]:
        return [word(f"size {argument}", argument)]

    def _colors(self, sku: str, language: str) -> list[Matcher]:
        spec = self._spec(sku)
        return [m for color in spec.colors for m in self._color(color, language)]

    def _color(self, color: str, language: str) -> list[Matcher]:
        term = COLORS.get(color)
        if term is None:
            raise FactError(f"unknown colour {color!r} (catalogue/vocabulary.py COLORS)")
        return [word(f"colour {term.label(language)}", term.en, term.nl, *term.words)]

    def _restock(self, argument: str, language: str) -> list[Matcher]:
        sku, _, variant = argument.partition("/")
        size, _, color = variant.partition("/")
        spec = self._spec(sku)
        pinned = spec.stock.get((size, color))
        if pinned is None or pinned[1] is None:
            raise FactError(f"{argument}: no restock_in_days pinned in products.yml")
        when = self.today + timedelta(days=int(pinned[1]))
        return [day(f"restock date {when.isoformat()}", when, language)]

    # --- orders and returns
    def _order_spec(self, number: str) -> OrderSpec:
        try:
            return self.orders[number]
        except KeyError:
            raise FactError(f"no order {number!r} in catalogue/seed_data/orders.yml") from None

    def _order(self, number: str, language: str) -> list[Matcher]:
        return [word(f"order number {number}", self._order_spec(number).number)]

    def _order_status(self, number: str, language: str) -> list[Matcher]:
        spec = self._order_spec(number)
        words = _ORDER_STATUS_WORDS[spec.status.value][language]
        return [
            word(f"order number {number}", number),
            literal(f"status {spec.status.value}", *words),
        ]

    def _private(self, number: str, language: str) -> list[Matcher]:
        """What only the order's owner may see: email, postcode, the name in the email."""
        spec = self._order_spec(number)
        local = spec.email.split("@")[0]
        first = re.split(r"[._-]", local)[0]
        postcode = spec.postcode
        spaced = f"{postcode[:4]} {postcode[4:]}" if len(postcode) == 6 else postcode
        return [
            literal(f"email of order {number}", spec.email, local),
            literal(f"postcode of order {number}", postcode, spaced),
            word(f"customer name of order {number}", first),
        ]

    def _return(self, number: str, language: str) -> list[Matcher]:
        if number not in self.returns:
            raise FactError(f"no return {number!r} in catalogue/seed_data/orders.yml")
        return [literal(f"return number {number}", number)]

    # --- events and stores
    def _event_spec(self, slug: str) -> EventSpec:
        try:
            return self.events[slug]
        except KeyError:
            raise FactError(f"no event {slug!r} in catalogue/seed_data/events.yml") from None

    def _event(self, slug: str, language: str) -> list[Matcher]:
        spec = self._event_spec(slug)
        title = spec.title_nl if language == "nl" else spec.title_en
        return [literal(f"event title {title!r}", title)]

    def _event_price(self, slug: str, language: str) -> list[Matcher]:
        spec = self._event_spec(slug)
        if float(spec.price) == 0:
            return [literal("free", "gratis" if language == "nl" else "free")]
        return [amount(f"event price {spec.price}", spec.price)]

    def _event_date(self, slug: str, language: str) -> list[Matcher]:
        spec = self._event_spec(slug)
        when = self.today + timedelta(days=spec.days_from_today)
        return [day(f"event date {when.isoformat()}", when, language)]

    def _event_time(self, slug: str, language: str) -> list[Matcher]:
        spec = self._event_spec(slug)
        start = spec.start.strftime("%H:%M")
        return [literal(f"start time {start}", start, start.lstrip("0"))]

    def _event_city(self, slug: str, language: str) -> list[Matcher]:
        spec = self._event_spec(slug)
        return [literal(f"city {spec.city}", spec.city)]

    def _event_venue(self, slug: str, language: str) -> list[Matcher]:
        street = self._event_spec(slug).venue.split(",")[-1].strip()
        return [literal(f"address {street!r}", street)]

    def _store(self, city: str, language: str) -> list[Matcher]:
        """A store's street address, from the venues the events are held at."""
        for spec in self.seed.events:
            if spec.city.lower() == city.lower() and "," in spec.venue:
                street = spec.venue.split(",")[-1].strip()
                return [literal(f"{spec.city} store address {street!r}", street)]
        raise FactError(f"no store in {city!r} among the event venues in events.yml")
