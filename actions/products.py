"""Product questions: search, availability per size and colour, price, and details."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue_access import CatalogueAction, latest_entity, latest_text, slot_text
from actions.conversation_context import (
    SUBJECT_EVENT,
    SUBJECT_PRODUCT,
    about,
    current_subject,
    earlier_slot,
    is_reference,
    remembers,
)
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
from actions.events import answer_event_follow_up
from actions.localised_formats import format_day, format_list, format_price
from actions.product_questions import CareAspect, asked_care_aspect, asks_about_sale, size_asked
from actions.two_questions import asks_price, asks_stock
from catalogue.models import CareWash, Product, Variant
from catalogue.repository import Catalogue, ProductLookup, clear_match
from catalogue.search import name_score, normalise, query_tokens
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
UTTER_PRODUCT_NOT_SOLD_CLOSEST = "utter_product_not_sold_closest"
UTTER_PRODUCT_NOT_ON_SALE = "utter_product_not_on_sale"
UTTER_PRODUCT_CARD = "utter_product_card"
UTTER_PRODUCT_CARD_SALE = "utter_product_card_sale"
UTTER_PRODUCT_CARD_SIZES = "utter_product_card_sizes"
UTTER_PRODUCT_CARD_IN_STOCK = "utter_product_card_in_stock"
UTTER_PRODUCT_CARD_SOLD_OUT = "utter_product_card_sold_out"
UTTER_PRODUCT_CARE = "utter_product_care"
UTTER_CARE_MACHINE_WASH = "utter_care_machine_wash"
UTTER_CARE_HAND_WASH = "utter_care_hand_wash"
UTTER_CARE_NO_WASH = "utter_care_no_wash"
UTTER_CARE_DRYER_YES = "utter_care_dryer_yes"
UTTER_CARE_DRYER_NO = "utter_care_dryer_no"
UTTER_CARE_IRON_YES = "utter_care_iron_yes"
UTTER_CARE_IRON_NO = "utter_care_iron_no"

_MAX_SOLD_OUT_NOTES = 3
# How well (0-100) a message's own words must match a product's name to name it.
NAMED_IN_TEXT = 90.0

# Size and colour belong to one product: a question about another product starts afresh.
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


def same_product(product: Product, name: object) -> bool:
    """True when `name` (a slot value) names this product, in either language."""
    if not isinstance(name, str) or not name.strip():
        return False
    # The slot holds a name as shown or as the customer wrote it ("Lina", "lina jurk").
    return name_score(name, product.name_en, product.name_nl) >= NAMED_IN_TEXT


def has_a_word_of_its_name(text: str, product: Product) -> bool:
    """True when the message holds a word of the product's name (in either language)."""
    name_words = set(normalise(f"{product.name_en} {product.name_nl}").split())
    return bool(name_words & set(query_tokens(text)))


async def say_not_sold(
    catalogue: Catalogue,
    asked: str,
    dispatcher: CollectingDispatcher,
    language: str,
    *,
    by_name: bool,
) -> None:
    """ "We don't sell that", plus the closest products only when a name is really alike.

    `by_name`: the customer named a product ("the Zorro hat"), rather than describing one.
    """
    words = query_tokens(asked) or normalise(asked).split()
    # Only the words the catalogue does not know are compared: "dress" in "Lena dress" is
    # like every dress, "lena" only like "Lina".
    unknown = (await catalogue.resolve_query(asked)).unknown
    closest = await catalogue.closest_products(unknown) if unknown else []
    searched = " ".join(words) or asked
    if closest:
        dispatcher.utter_message(
            response=UTTER_PRODUCT_NOT_SOLD_CLOSEST,
            query=asked if by_name else searched,
            products=product_lines(closest, language),
        )
    elif by_name:
        dispatcher.utter_message(response=UTTER_PRODUCT_UNKNOWN, product=asked)
    else:
        dispatcher.utter_message(response=UTTER_PRODUCT_SEARCH_NONE, query=searched)


class ProductAction(CatalogueAction):
    """An action about one product the customer names, or the one the conversation is about."""

    def __init__(
        self,
        catalogue: Catalogue | None = None,
        *,
        timeout_seconds: float | None = None,
        second_question: bool = False,
    ) -> None:
        """`second_question`: answering the other half of a two-question message."""
        super().__init__(catalogue, timeout_seconds=timeout_seconds)
        self.second_question = second_question

    async def lookup(self, tracker: Tracker) -> tuple[str | None, ProductLookup]:
        """The product the latest message names, else the one talked about before.

        Order: the `product` entity of this message (never a pointing word such as "die"), a
        product its words clearly name, the product the conversation is about ("and how
        much is it?", while that subject lasts), and finally the candidates the words found.
        """
        named = latest_entity(tracker, SLOT_PRODUCT)
        if named and not is_reference(named):
            return named, await self.catalogue.find_product(named)
        text = latest_text(tracker)
        from_text = await self.catalogue.find_product(text, strict=False) if text else None
        if from_text is not None and from_text.product is not None:
            # Only when a word of the message is a word of its name: one fuzzy word
            # ("solden" ~ "gouden") must not beat the product the conversation is about.
            if has_a_word_of_its_name(text, from_text.product):
                return None, from_text
            from_text = ProductLookup(None, ())
        earlier = slot_text(tracker, SLOT_PRODUCT)
        if earlier and not is_reference(earlier) and remembers(tracker, SUBJECT_PRODUCT):
            return earlier, await self.catalogue.find_product(earlier)
        return None, from_text or ProductLookup(None, ())

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """Find the product, or say which were meant, then `answer_about` it."""
        named, lookup = await self.lookup(tracker)
        if lookup.product is not None:
            product = lookup.product
            # Size and colour left from earlier turns are about this product only if the
            # conversation was already about it.
            continued = same_product(
                product, earlier_slot(tracker, SLOT_PRODUCT)
            ) and remembers(tracker, SUBJECT_PRODUCT)
            variant: list[EventType] = (
                []
                if continued
                else [
                    SlotSet(SLOT_SIZE, latest_entity(tracker, SLOT_SIZE)),
                    SlotSet(SLOT_COLOR, latest_entity(tracker, SLOT_COLOR)),
                ]
            )
            answered = await self.answer_about(
                product, dispatcher, tracker, language, continued=continued
            )
            return [
                *variant,
                *answered,
                SlotSet(SLOT_PRODUCT, product.name(language)),
                *about(SUBJECT_PRODUCT, tracker),
            ]
        if not named and not lookup.candidates and current_subject(tracker) == SUBJECT_EVENT:
            # "How much is it and is there room?" right after the events were listed.
            follow_up = await answer_event_follow_up(self.catalogue, dispatcher, tracker, language)
            if follow_up is not None:
                return follow_up
        if lookup.candidates:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_WHICH, products=product_lines(lookup.candidates, language)
            )
        elif named:
            await say_not_sold(self.catalogue, named, dispatcher, language, by_name=True)
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
        *,
        continued: bool,
    ) -> list[EventType]:
        """Answer the question about this product (`continued`: it was the subject already)."""


class ActionProductSearch(CatalogueAction):
    """Products matching what the customer described, typos and synonyms allowed.

    One clear product (a bare name such as "Storm") gets its card; a description gets up to
    three matches; something we do not sell gets "we don't sell that" and only really
    close names.
    """

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_PRODUCT_SEARCH

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """Search by this message's product, colour and category entities, else by its words."""
        found = [latest_entity(tracker, name) for name in (SLOT_COLOR, SLOT_PRODUCT, SLOT_CATEGORY)]
        parts = [part for part in found if part and not is_reference(part)]
        query = " ".join(parts) or latest_text(tracker)
        named = latest_entity(tracker, SLOT_PRODUCT) or ""
        if named and not is_reference(named) and await self.names_nothing_we_sell(named):
            # A product name we do not know ("the Yves blazer in black"): results for its
            # other words (any black product) would be a guess.
            await say_not_sold(self.catalogue, named, dispatcher, language, by_name=True)
            return FORGET_DESCRIPTION
        if not query or (await self.catalogue.resolve_query(query)).empty:
            await say_not_sold(self.catalogue, query, dispatcher, language, by_name=False)
            return FORGET_DESCRIPTION
        products = await self.catalogue.search_products(query, limit=3)
        clear = clear_match(query, products)
        if clear is not None:
            say_card(clear, dispatcher, language)
            return [
                *FORGET_DESCRIPTION,
                SlotSet(SLOT_PRODUCT, clear.name(language)),
                *about(SUBJECT_PRODUCT, tracker),
            ]
        if not products:
            await say_not_sold(self.catalogue, query, dispatcher, language, by_name=False)
            return FORGET_DESCRIPTION
        dispatcher.utter_message(
            response=UTTER_PRODUCT_SEARCH_RESULTS,
            query=query,
            count=len(products),
            products=product_lines(products, language),
        )
        return FORGET_DESCRIPTION


    async def names_nothing_we_sell(self, name: str) -> bool:
        """True when a product name holds words the catalogue does not know."""
        return bool((await self.catalogue.resolve_query(name)).unknown)


def say_card(product: Product, dispatcher: CollectingDispatcher, language: str) -> None:
    """A short product card: price (and sale price), colours, and the sizes in stock."""
    name = product.name(language)
    colors = format_list(
        [color_label(c, language) for c in dict.fromkeys(v.color for v in product.variants)],
        language,
    )
    if product.sale_price is not None:
        dispatcher.utter_message(
            response=UTTER_PRODUCT_CARD_SALE,
            product=name,
            price=format_price(product.sale_price, language),
            original_price=format_price(product.price, language),
            colors=colors,
        )
    else:
        dispatcher.utter_message(
            response=UTTER_PRODUCT_CARD,
            product=name,
            price=format_price(product.price, language),
            colors=colors,
        )
    sizes = dict.fromkeys(v.size for v in product.variants)
    stocked = {v.size for v in product.variants if v.stock > 0}
    in_stock = [size for size in sizes if size in stocked]
    if not in_stock:
        dispatcher.utter_message(response=UTTER_PRODUCT_CARD_SOLD_OUT)
    elif in_stock == ["ONE SIZE"]:
        dispatcher.utter_message(response=UTTER_PRODUCT_CARD_IN_STOCK)
    else:
        dispatcher.utter_message(
            response=UTTER_PRODUCT_CARD_SIZES, sizes=format_list(in_stock, language)
        )


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
        *,
        continued: bool,
    ) -> list[EventType]:
        """Utter the price (and the original one when on sale); "is it on sale?" gets a no too."""
        if product.sale_price is not None:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_PRICE_SALE,
                product=product.name(language),
                price=format_price(product.sale_price, language),
                original_price=format_price(product.price, language),
            )
        else:
            dispatcher.utter_message(
                response=(
                    UTTER_PRODUCT_NOT_ON_SALE
                    if asks_about_sale(latest_text(tracker))
                    else UTTER_PRODUCT_PRICE
                ),
                product=product.name(language),
                price=format_price(product.price, language),
            )
        if asks_stock(latest_text(tracker)) and not self.second_question:
            # "... and is it in stock in M?": the stock answer follows the price.
            stock = ActionProductAvailability(self.catalogue, second_question=True)
            return await stock.answer_about(
                product, dispatcher, tracker, language, continued=continued
            )
        return []


class ActionProductDetails(ProductAction):
    """Material, care and fit of a product; a care question gets its answer from the label."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_PRODUCT_DETAILS

    async def answer_about(
        self,
        product: Product,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
        *,
        continued: bool,
    ) -> list[EventType]:
        """Answer the care question asked, else utter material and care, and the fit note."""
        dutch = language == "nl"
        name = product.name(language)
        care = product.care_nl if dutch else product.care_en
        aspect = asked_care_aspect(latest_text(tracker))
        if aspect is not None:
            answer = care_answer(product, aspect)
            dispatcher.utter_message(
                response=answer or UTTER_PRODUCT_CARE,
                product=name,
                care=care,
                max_c=product.care_wash_max_c or "",
            )
            return []
        dispatcher.utter_message(
            response=UTTER_PRODUCT_DETAILS,
            product=name,
            material=product.material_nl if dutch else product.material_en,
            care=care,
        )
        fit = product.fit_nl if dutch else product.fit_en
        if fit:
            dispatcher.utter_message(response=UTTER_PRODUCT_FIT, fit=fit)
        return []


def care_answer(product: Product, aspect: CareAspect) -> str | None:
    """The response answering a care question from the product's label; None without a label."""
    if product.care_wash is None:
        return None
    if aspect is CareAspect.DRYER and product.care_tumble_dry is not None:
        return UTTER_CARE_DRYER_YES if product.care_tumble_dry else UTTER_CARE_DRYER_NO
    if aspect is CareAspect.IRON and product.care_iron is not None:
        return UTTER_CARE_IRON_YES if product.care_iron else UTTER_CARE_IRON_NO
    if aspect is CareAspect.WASH:
        if product.care_wash is CareWash.MACHINE and product.care_wash_max_c:
            return UTTER_CARE_MACHINE_WASH
        if product.care_wash is CareWash.HAND:
            return UTTER_CARE_HAND_WASH
        if product.care_wash is CareWash.NONE:
            return UTTER_CARE_NO_WASH
    return None


class ActionProductAvailability(ProductAction):
    """Stock per size and colour, with the restock date when sold out.

    The size and colour asked stay in their slots while the conversation is about this
    product, so "and in navy?" and "when is it back?" answer for the same variant.
    """

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_PRODUCT_AVAILABILITY

    async def answer_about(
        self,
        product: Product,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
        *,
        continued: bool,
    ) -> list[EventType]:
        """The stock answer, then the price when the same message asked it too."""
        events = await self.stock_answer(
            product, dispatcher, tracker, language, continued=continued
        )
        if asks_price(latest_text(tracker)) and not self.second_question:
            price = ActionProductPrice(self.catalogue, second_question=True)
            events += await price.answer_about(
                product, dispatcher, tracker, language, continued=continued
            )
        return events

    async def stock_answer(
        self,
        product: Product,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        language: str,
        *,
        continued: bool,
    ) -> list[EventType]:
        """Answer for the asked size and colour, or give the overview of what is in stock."""
        name = product.name(language)
        variants = list(product.variants)
        sizes = list(dict.fromkeys(v.size for v in variants))
        colors = list(dict.fromkeys(v.color for v in variants))

        text = latest_text(tracker)
        words = normalise(text).split()
        # This message first; a slot only when an earlier turn left it about this product.
        asked_size = (
            latest_entity(tracker, SLOT_SIZE)
            or size_in_words(words, sizes)
            or size_asked(text)
            or (slot_text(tracker, SLOT_SIZE) if continued else None)
        )
        size = normalise_size(asked_size) if asked_size else None
        if size is not None and size not in sizes:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_SIZE_UNKNOWN,
                product=name,
                size=asked_size,
                sizes=format_list(sizes, language),
            )
            return [SlotSet(SLOT_SIZE, None)]
        asked_color = (
            latest_entity(tracker, SLOT_COLOR)
            or next((word for word in words if color_key(word)), None)
            or (slot_text(tracker, SLOT_COLOR) if continued else None)
        )
        color = color_key(asked_color) if asked_color else None
        if asked_color and color not in colors:
            dispatcher.utter_message(
                response=UTTER_PRODUCT_COLOR_UNKNOWN,
                product=name,
                color=asked_color,
                colors=format_list([color_label(c, language) for c in colors], language),
            )
            return [SlotSet(SLOT_SIZE, size), SlotSet(SLOT_COLOR, None)]
        remember: list[EventType] = [SlotSet(SLOT_SIZE, size), SlotSet(SLOT_COLOR, color)]

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
            return remember
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
        return remember


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
