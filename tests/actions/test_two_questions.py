"""Two questions in one message: price and stock are both answered, in either reading."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from actions.products import ActionProductAvailability, ActionProductPrice
from actions.two_questions import asks_price, asks_stock
from catalogue.repository import Catalogue
from tests.actions.catalogue_helpers import names, render, run, tracker
from tests.catalogue.factories import make_catalogue, seeded_sqlite_url


@pytest.fixture
async def catalogue(tmp_path: Path) -> AsyncIterator[Catalogue]:
    """The demo data seeded at NOW (Tuesday 1 December 2026), on SQLite."""
    catalogue = make_catalogue(seeded_sqlite_url(tmp_path))
    yield catalogue
    await catalogue.dispose()


@pytest.mark.parametrize(
    "text",
    ["what does the Lina dress cost and is it in stock in M?",
     "wat kost de Storm en hebben jullie die in 42?",
     "how much is the Noor sweater and do you have it in L",
     "is de Ravi jeans er nog in 32 en wat is de prijs?"],
)
def test_both_questions_are_seen(text: str) -> None:
    assert asks_price(text) and asks_stock(text)


@pytest.mark.parametrize(
    ("text", "price", "stock"),
    [("how much is the Lina wrap dress?", True, False),
     ("wat kost de Noor trui in XL?", True, False),
     ("is the Storm raincoat in stock in M?", False, True),
     ("hebben jullie de Lina jurk in S?", False, True),
     ("wat zijn de verzendkosten?", False, False)],
)
def test_one_question_is_one_question(text: str, price: bool, stock: bool) -> None:
    assert (asks_price(text), asks_stock(text)) == (price, stock)


@pytest.mark.parametrize(
    ("language", "text", "entities", "first", "then"),
    [
        ("en", "what does the Lina dress cost and is it in stock in M?",
         {"product": "Lina wrap dress", "size": "M"}, "The Lina wrap dress is €79.95.",
         "in stock"),
        ("nl", "wat kost de Storm en hebben jullie die in 42?",
         {"product": "Storm raincoat", "size": "42"}, "De Storm regenjas is in de sale",
         "bestaat niet in maat 42"),
    ],
)
@pytest.mark.parametrize("read_as", ["price", "stock"])
async def test_both_are_answered_whichever_intent_the_model_chose(
    catalogue: Catalogue, language: str, text: str, entities: dict[str, str], first: str,
    then: str, read_as: str,
) -> None:
    kind = ActionProductPrice if read_as == "price" else ActionProductAvailability
    messages, _ = await run(kind(catalogue), tracker(language, text, entities=entities))
    rendered = [render(message, language) for message in messages]
    assert len(messages) >= 2, rendered
    prices = [r for r in rendered if r.startswith(first)]
    assert len(prices) == 1, rendered
    assert any(then in r for r in rendered if not r.startswith(first)), rendered
    # One answer per question: the price is said once, whichever action ran.
    assert sum(n.startswith("utter_product_price") for n in names(messages)) == 1


async def test_a_single_question_gets_a_single_answer(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionProductPrice(catalogue),
        tracker("en", "how much is the Lina wrap dress?", entities={"product": "Lina wrap dress"}),
    )
    assert names(messages) == ["utter_product_price"]
