"""Two questions about one product in one message: the price and the stock.

"What does the Lina dress cost and is it in stock in M?" is read as one intent, either
`product_price` or `product_availability`; the action for it answers its own question and
then the other one when the words ask it too (actions/products.py). Rasa's multi-intents
were measured for this and not used (docs/contracts.md).
"""

from __future__ import annotations

import re

_PRICE = re.compile(
    r"\b(?:cost|costs|price|priced|how much is|how much are|how much for|how expensive"
    r"|kost|kosten|prijs|hoe duur|wat moet .{1,40} kosten)\b",
    re.IGNORECASE,
)
_STOCK = re.compile(
    r"\b(?:in stock|stock|available|do you (?:still )?have|have you got|sold out"
    r"|op voorraad|voorraad|leverbaar|uitverkocht|hebben jullie|heb je|heb jij"
    r"|is (?:die|hij|ie|het) er|zijn ze er|er (?:nog|ook) in|nog in maat)\b",
    re.IGNORECASE,
)


def asks_price(text: str) -> bool:
    """Whether the words ask what something costs."""
    return bool(_PRICE.search(text))


def asks_stock(text: str) -> bool:
    """Whether the words ask whether something is in stock (in a size or colour)."""
    return bool(_STOCK.search(text))
