"""What a product question asks beyond its intent: the sale, a care aspect, a size.

The intents stay broad (a sale question is a price question, a dryer question a details
question); these words pick the precise answer from the product's data.
"""

from __future__ import annotations

import enum
import re

from catalogue.search import normalise
from catalogue.vocabulary import normalise_size

_SALE = re.compile(
    r"\b(sale|sales|discount\w*|reduced|reduction|offer|deal|markdown|marked down|cheaper|"
    r"korting|uitverkoop|solden|afgeprijsd|aanbieding|promo|promotie|koopje|goedkoper|actie)\b"
)


class CareAspect(enum.StrEnum):
    """The part of a care label a question is about."""

    WASH = "wash"
    DRYER = "dryer"
    IRON = "iron"


# Checked in this order: "tumble dry" and "strijken" say more than a "wash" in the same message.
_CARE_WORDS: tuple[tuple[CareAspect, re.Pattern[str]], ...] = (
    (CareAspect.DRYER, re.compile(r"\b(dryer|drier|tumble\w*|droger|droogtrommel|trommel)\b")),
    (CareAspect.IRON, re.compile(r"\b(iron|ironed|ironing|strijk\w*)\b")),
    (
        CareAspect.WASH,
        re.compile(
            # Not a bare "was": English past tense ("what was it made of?").
            r"\b(wash\w*|machine|wasmachine|machinewas|wassen|in de was|gewassen|wast|wasbaar|"
            r"handwas|fijnwas|laundry|graden|degrees|hoe was|was ik)\b"
        ),
    ),
)

# Letter sizes customers ask for, whether or not a product comes in them.
_LETTER_SIZES = frozenset(
    {"XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL", "2XL", "3XL", "4XL", "XXXS", "ONE SIZE"}
)
_SIZE_WORD = re.compile(r"^(x{0,3}[sl]|m|[2-5]xl)$")


def asks_about_sale(text: str) -> bool:
    """True when the customer asks whether something is on sale or discounted."""
    return bool(_SALE.search(normalise(text)))


def asked_care_aspect(text: str) -> CareAspect | None:
    """The care question asked ("can it go in the dryer?" -> DRYER), if any."""
    words = normalise(text)
    for aspect, pattern in _CARE_WORDS:
        if pattern.search(words):
            return aspect
    return None


def size_asked(text: str) -> str | None:
    """A size the customer names, even one no product comes in ("XXL", "maat 50", "size 46").

    Single letters count only after "size"/"maat" ("s" in "what's" is not size S); numbers
    only after "size"/"maat" or when they look like a clothing or shoe size (24-52).
    """
    words = normalise(text).split()
    for position, word in enumerate(words):
        after_size_word = position > 0 and words[position - 1] in ("size", "maat", "maatje")
        if word.isdigit():
            if after_size_word or (len(word) == 2 and 24 <= int(word) <= 52):
                return word
            continue
        if _SIZE_WORD.match(word) and (len(word) > 1 or after_size_word):
            size = normalise_size(word)
            if size in _LETTER_SIZES:
                return size
    return None
