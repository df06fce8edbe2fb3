"""Product questions: search, availability per size and colour, price, and details."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue_access import CatalogueAction, latest_entity, latest_text, slot_text
from actions.domain_names import (
    ACTION_PRODUCT_AVAILABILITY,
    ACTION_PRODUCT_DETAILS,
    ACTION_PRODUCT_PRICE,
    ACTION_PRODUCT_SEARCH,
    SLOT_CATEGORY,
    SLOT_COLOR,
    SLOT_PRODUCT,
    SLOT_SIZE,
)
from actions.localised_formats import format_day, format_list, format_price
from catalogue.models import Product, Variant
from catalogue.repository import ProductLookup
from catalogue.search import normalise, query_tokens
from catalogue.vocabulary import color_key, color_label, normalise_size

UTTER_PRODUCT_SEARCH_RESULTS = "utter_product_search_results"
UTTER_PRODUCT_SEARCH_NONE = "utter_product_search_none"
UTTER_PRODUCT_NAME_MISSING = "utter_product_name_missing"
UTTER_PRODUCT_UNKNOWN = "utter_product_unknown"
UTTER_PRODUCT_WHICH = "utter_product_which"
UTTER_PRODUCT_PRICE = "utter_product_price"
UTTER_PRODUCT_PRICE_SALE = "utter_product_price_sale"
UTTER_PRODUCT_DETAILS = "utter_product_details"
UTTER_PRODUCT_FIT = "utter_product_fit"
UTTER_PRODUCT_IN_STOCK = "utter_product_in_stock"
UTTER_PRODUCT_SOLD_OUT = "utter_product_sold_out"
UTTER_PRODUCT_SOLD_OUT_RESTOCK = "utter_product_sold_out_restock"
UTTER_PRODUCT_AVAILABLE_IN = "utter_product_available_in"
UTTER_PRODUCT_SIZE_UNKNOWN = "utter_product_size_unknown"
UTTER_PRODUCT_COLOR_UNKNOWN = "utter_product_color_unknown"

_MAX_SOLD_OUT_NOTES = 3

# Size and colour answer one question; a later question about another product starts afresh.
FORGET_VARIANT: list[EventType] = [SlotSet(SLOT_SIZE, None), SlotSet(SLOT_COLOR, None)]
# A search's colour and category words describe that search only.
FORGET_DESCRIPTION: list[EventType] = [*FORGET_VARIANT, SlotSet(SLOT_CATEGORY, None)]


def current_price(product: Product, language: str) -> str:
    """The price a customer pays today, formatted for the language."""
    price = product.sale_price if product.sale_price is not None else product.price
    return format_price(price, language)


def product_lines(products: Sequence[Product], language: str) -> str:
    """One line per product: "• Lina wrap dress – €79.95"."""
    return "\n".join(
        f"• {product.name(language)} – {current_price(product, language)}" for product in products
    )


def variant_label(variant: Variant, language: str) -> str:
    """ "M / navy", or only the colour for one-size products."""
    color = color_label(variant.color, language)
    return color if variant.size == "ONE SIZE" else f"{variant.size} / {color}"


class ProductAction(CatalogueAction):
    """An action about one product the customer names."""

    async def lookup(self, tracker: Tracker) -> tuple[str | None, ProductLookup]:
        """The product the latest message names, else the one talked about before.

        Order: the `product` entity of this message, a product its words clearly name, the
        `product` slot ("and how much is it?"), and finally the candidates the words found.
        """
        named = latest_entity(tracker, SLOT_PRODUCT)
        if named:
            return named, await self.catalogue.find_product(named)
        text = latest_text(tracker)
        from_text = await self.catalogue.find_product(text, strict=False) if text else None
        if from_text is not None and from_text.product is not None:
            return None, from_text
        earlier = slot_text(tracker, SLOT_PRODUCT)
        if earlier:
            return earlier, await self.catalogue.find_product(earlier)
        return None, from_text or ProductLookup(None, ())

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """Find the product, or say which were meant, then `answer_about` it."""
        named, lookup = await self.lookup(tracker)
        if lookup.product is not None:
            return [
                *await self.answer_about(lookup.product, dispatcher, tracker, language),
                SlotSet(SLOT_PRODUCT, lookup.product.name(language)),
            ]
        if lookup.candidates:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_WHICH, products=product_lines(lookup.candidates, language)
            )
        elif named:
            dispatcher.utter_message(response=UTTER_PRODUCT_UNKNOWN, product=named)
        else:
            dispatcher.utter_message(response=UTTER_PRODUCT_NAME_MISSING)
        return [SlotSet(SLOT_PRODUCT, None)]

    @abstractmethod
    async def answer_about(
        self,
        product: Product,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
    ) -> list[EventType]:
        """Answer the question about this product."""


class ActionProductSearch(CatalogueAction):
    """Up to three products matching what the customer described, typos and synonyms allowed."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_PRODUCT_SEARCH

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """Search by this message's product, colour and category entities, else by its words."""
        parts = [latest_entity(tracker, name) for name in (SLOT_COLOR, SLOT_PRODUCT, SLOT_CATEGORY)]
        query = " ".join(part for part in parts if part) or latest_text(tracker)
        products = await self.catalogue.search_products(query, limit=3) if query else []
        if not products:
            # Echo the words that were searched for, not the whole sentence.
            searched = " ".join(query_tokens(query)) or query
            dispatcher.utter_message(response=UTTER_PRODUCT_SEARCH_NONE, query=searched)
            return FORGET_DESCRIPTION
        dispatcher.utter_message(
            response=UTTER_PRODUCT_SEARCH_RESULTS,
            query=query,
            count=len(products),
            products=product_lines(products, language),
        )
        if len(products) == 1:
            return [*FORGET_DESCRIPTION, SlotSet(SLOT_PRODUCT, products[0].name(language))]
        return FORGET_DESCRIPTION


class ActionProductPrice(ProductAction):
    """The price of a product, with the sale price when it is on sale."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_PRODUCT_PRICE

    async def answer_about(
        self,
        product: Product,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
    ) -> list[EventType]:
        """Utter the price (and the original one when on sale)."""
        if product.sale_price is not None:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_PRICE_SALE,
                product=product.name(language),
                price=format_price(product.sale_price, language),
                original_price=format_price(product.price, language),
            )
        else:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_PRICE,
                product=product.name(language),
                price=format_price(product.price, language),
            )
        return []


class ActionProductDetails(ProductAction):
    """Material, care and fit of a product."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_PRODUCT_DETAILS

    async def answer_about(
        self,
        product: Product,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
    ) -> list[EventType]:
        """Utter material and care, and the fit note when there is one."""
        dutch = language == "nl"
        dispatcher.utter_message(
            response=UTTER_PRODUCT_DETAILS,
            product=product.name(language),
            material=product.material_nl if dutch else product.material_en,
            care=product.care_nl if dutch else product.care_en,
        )
        fit = product.fit_nl if dutch else product.fit_en
        if fit:
            dispatcher.utter_message(response=UTTER_PRODUCT_FIT, fit=fit)
        return []


class ActionProductAvailability(ProductAction):
    """Stock per size and colour, with the restock date when sold out."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_PRODUCT_AVAILABILITY

    async def answer_about(
        self,
        product: Product,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
    ) -> list[EventType]:
        """Answer for the asked size and colour, or give the overview of what is in stock."""
        name = product.name(language)
        variants = list(product.variants)
        sizes = list(dict.fromkeys(v.size for v in variants))
        colors = list(dict.fromkeys(v.color for v in variants))

        words = normalise(latest_text(tracker)).split()
        # This message first; a slot alone is left from an earlier turn.
        asked_size = (
            latest_entity(tracker, SLOT_SIZE)
            or size_in_words(words, sizes)
            or slot_text(tracker, SLOT_SIZE)
        )
        size = normalise_size(asked_size) if asked_size else None
        if size is not None and size not in sizes:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_SIZE_UNKNOWN,
                product=name,
                size=asked_size,
                sizes=format_list(sizes, language),
            )
            return FORGET_VARIANT
        asked_color = (
            latest_entity(tracker, SLOT_COLOR)
            or next((word for word in words if color_key(word)), None)
            or slot_text(tracker, SLOT_COLOR)
        )
        color = color_key(asked_color) if asked_color else None
        if asked_color and color not in colors:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_COLOR_UNKNOWN,
                product=name,
                color=asked_color,
                colors=format_list([color_label(c, language) for c in colors], language),
            )
            return FORGET_VARIANT

        matching = [
            v
            for v in variants
            if (size is None or v.size == size) and (color is None or v.color == color)
        ]
        in_stock = [v for v in matching if v.stock > 0]
        if len(matching) == 1 and in_stock:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_IN_STOCK,
                product=name,
                variant=variant_label(in_stock[0], language),
                stock=in_stock[0].stock,
            )
            return FORGET_VARIANT
        if in_stock:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_AVAILABLE_IN,
                product=name,
                options=_in_stock_overview(in_stock, language),
            )
        sold_out = [v for v in matching if v.stock == 0]
        # When something is in stock, only sold-out variants coming back are worth a note.
        notes = [v for v in sold_out if v.restock_date] if in_stock else sold_out
        for variant in notes[:_MAX_SOLD_OUT_NOTES]:
            if variant.restock_date is not None:
                dispatcher.utter_message(
                    response=UTTER_PRODUCT_SOLD_OUT_RESTOCK,
                    product=name,
                    variant=variant_label(variant, language),
                    restock_date=format_day(variant.restock_date, language),
                )
            else:
                dispatcher.utter_message(
                    response=UTTER_PRODUCT_SOLD_OUT,
                    product=name,
                    variant=variant_label(variant, language),
                )
        return FORGET_VARIANT


def size_in_words(words: Sequence[str], sizes: Sequence[str]) -> str | None:
    """A size of this product named in the message when NLU missed it ("in XL", "medium").

    Single letters are left alone: "s" in "what's" is not size S.
    """
    for word in words:
        if len(word) > 1 and normalise_size(word) in sizes:
            return word
    return None


def _in_stock_overview(variants: Sequence[Variant], language: str) -> str:
    """ "navy: XS, S, M; terracotta: S, L" (only the colour for one-size products)."""
    by_color: dict[str, list[str]] = {}
    for variant in variants:
        by_color.setdefault(variant.color, []).append(variant.size)
    parts = []
    for color, sizes in by_color.items():
        label = color_label(color, language)
        parts.append(label if sizes == ["ONE SIZE"] else f"{label}: {', '.join(sizes)}")
    return "; ".join(parts)
