"""Follow-ups that name nothing, product cards, sale and care answers, and honest "not found".

Every answer comes from the seeded demo catalogue (NOW is Tuesday 1 December 2026), in Dutch
and English.
"""

from __future__ import annotations

from typing import Any

import pytest

from actions.conversation_context import (
    SUBJECT_TURNS,
    about,
    current_subject,
    earlier_slot,
    is_reference,
)
from actions.events import ActionEventDetails, ActionEventList
from actions.products import (
    ActionProductAvailability,
    ActionProductDetails,
    ActionProductPrice,
    ActionProductSearch,
)
from catalogue.repository import Catalogue
from tests.actions.catalogue_helpers import names, render, run, slot_events, tracker
from tests.actions.trackers import parse_data, user_event


def turns(count: int, *, slots: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """`count` customer messages; slot events (as earlier actions set them) before the last."""
    events = [user_event(parse_data(f"message {n}")) for n in range(count - 1)]
    for name, value in (slots or {}).items():
        events.append({"event": "slot", "name": name, "value": value})
    events.append(user_event(parse_data("latest")))
    return events


def texts(messages: list[dict[str, Any]], language: str) -> list[str]:
    return [render(message, language) for message in messages]


# --- the conversation's subject -------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["it", "That one", "die", "hem", "ervan", "da", "this one?", " Deze "]
)
def test_pointing_words_are_references(text: str) -> None:
    assert is_reference(text)


@pytest.mark.parametrize("text", ["Lina", "Storm raincoat", "die jurk", "item"])
def test_names_are_not_references(text: str) -> None:
    assert not is_reference(text)


def test_a_subject_lasts_a_few_customer_messages_then_is_forgotten() -> None:
    set_at = tracker("en", events=turns(3))
    slots = {e["name"]: e["value"] for e in about("product", set_at)}
    assert slots == {"subject": "product", "subject_turn": "3"}
    fresh = tracker("en", events=turns(3 + SUBJECT_TURNS), **slots)
    assert current_subject(fresh) == "product"
    stale = tracker("en", events=turns(3 + SUBJECT_TURNS + 1), **slots)
    assert current_subject(stale) is None


def test_earlier_slot_is_the_value_before_this_message() -> None:
    # Rasa fills the product slot from this message's entity after its user event.
    events = [
        user_event(parse_data("how much is the Lina?")),
        {"event": "slot", "name": "product", "value": "Lina wrap dress"},
        user_event(parse_data("and the Noor?")),
        {"event": "slot", "name": "product", "value": "Noor"},
    ]
    assert earlier_slot(tracker("en", events=events, product="Noor"), "product") == (
        "Lina wrap dress"
    )


# --- "when is it back?" after a sold-out answer -----------------------------------------


@pytest.mark.parametrize(
    ("language", "question", "follow_up", "expected"),
    [
        (
            "en",
            "is the Lina wrap dress in M in terracotta available?",
            "when is it back?",
            "The Lina wrap dress in M / terracotta is sold out; "
            "we expect it back on Tuesday 15 December.",
        ),
        (
            "nl",
            "is de Lina wikkeljurk er in M in terracotta?",
            "wanneer is die terug?",
            "De Lina wikkeljurk in M / terracotta is uitverkocht; "
            "we verwachten hem weer op dinsdag 15 december.",
        ),
    ],
)
async def test_when_is_it_back_answers_for_the_sold_out_variant(
    catalogue: Catalogue, language: str, question: str, follow_up: str, expected: str
) -> None:
    first, events = await run(
        ActionProductAvailability(catalogue),
        tracker(
            language,
            question,
            events=turns(1),
            entities={"product": "Lina wrap dress", "size": "M", "color": "terracotta"},
            product="Lina wrap dress",
        ),
    )
    assert texts(first, language) == [expected]
    left = slot_events(events)
    assert left["size"] == "M" and left["color"] == "terracotta" and left["subject"] == "product"

    # The next message names nothing ("die" is even tagged as a product by NLU sometimes).
    history = turns(2, slots=left)
    messages, _ = await run(
        ActionProductAvailability(catalogue),
        tracker(language, follow_up, events=history, entities={"product": "die"}, **left),
    )
    assert texts(messages, language) == [expected]


@pytest.mark.parametrize("language", ["en", "nl"])
async def test_a_new_product_does_not_inherit_the_old_size_and_colour(
    catalogue: Catalogue, language: str
) -> None:
    left = {
        "product": "Lina wrap dress",
        "size": "M",
        "color": "terracotta",
        "subject": "product",
        "subject_turn": "1",
    }
    history = turns(2, slots=left)
    messages, events = await run(
        ActionProductAvailability(catalogue),
        tracker(language, "and the Noor?", events=history, entities={"product": "Noor"}, **left),
    )
    # The overview of the Noor, not "Noor in M / terracotta" (which does not exist).
    assert names(messages)[0] == "utter_product_available_in"
    assert slot_events(events)["size"] is None and slot_events(events)["color"] is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", 'Which product do you mean? Just tell me its name, for example "Lina wrap dress".'),
        ("nl", 'Over welk product gaat het? Noem gerust de naam, bijvoorbeeld "Lina wikkeljurk".'),
    ],
)
async def test_an_expired_subject_is_not_guessed(
    catalogue: Catalogue, language: str, expected: str
) -> None:
    left = {"product": "Lina wrap dress", "subject": "product", "subject_turn": "1"}
    messages, _ = await run(
        ActionProductPrice(catalogue),
        tracker(language, "how much is it?", events=turns(2 + SUBJECT_TURNS, slots=left), **left),
    )
    assert texts(messages, language) == [expected]


# --- an event list, then "how much is it and is there room?" ------------------------------


@pytest.mark.parametrize(
    ("language", "follow_up", "expected"),
    [
        (
            "en",
            "how much is it and is there room?",
            [
                "Styling workshop (Tuesday 15 December): €15.00 per person, 12 places left.",
                "Autumn fashion show (Monday 21 December): free, 80 places left "
                "(registration needed).",
                "Sample sale (Monday 25 January): free, no registration needed: just walk in.",
            ],
        ),
        (
            "nl",
            "hoeveel kost het en is er nog plaats?",
            [
                "Stylingworkshop (dinsdag 15 december): € 15,00 per persoon, "
                "nog 12 plekken vrij.",
                "Najaarsmodeshow (maandag 21 december): gratis, nog 80 plekken vrij "
                "(aanmelden nodig).",
                "Sample sale (maandag 25 januari): gratis, aanmelden hoeft niet: "
                "loop gewoon binnen.",
            ],
        ),
    ],
)
@pytest.mark.parametrize("action", [ActionProductPrice, ActionEventDetails])
async def test_price_and_room_after_an_event_list(
    catalogue: Catalogue,
    language: str,
    follow_up: str,
    expected: list[str],
    action: type[ActionProductPrice] | type[ActionEventDetails],
) -> None:
    _, events = await run(ActionEventList(catalogue), tracker(language, events=turns(1)))
    left = slot_events(events)
    assert left["subject"] == "event" and len(left["listed_events"]) == 3
    # Read as a price question or as event details: the same answer about the listed events.
    messages, _ = await run(
        action(catalogue), tracker(language, follow_up, events=turns(2, slots=left), **left)
    )
    assert texts(messages, language) == expected


@pytest.mark.parametrize("language", ["en", "nl"])
async def test_a_product_question_after_an_event_list_is_about_the_product(
    catalogue: Catalogue, language: str
) -> None:
    _, events = await run(ActionEventList(catalogue), tracker(language, events=turns(1)))
    left = slot_events(events)
    messages, events = await run(
        ActionProductPrice(catalogue),
        tracker(language, "how much is the Storm?", events=turns(2, slots=left), **left),
    )
    assert names(messages) == ["utter_product_price_sale"]
    assert slot_events(events)["subject"] == "product"


# --- a bare product name: the card ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "Storm",
            [
                "Storm raincoat: on sale for €103.96 (was €129.95). Colours: black and navy.",
                "In stock in sizes XS, S, M, L and XL.",
            ],
        ),
        (
            "nl",
            "Storm",
            [
                "Storm regenjas: in de sale voor € 103,96 (was € 129,95). "
                "Kleuren: zwart en marineblauw.",
                "Op voorraad in maat XS, S, M, L en XL.",
            ],
        ),
        (
            "en",
            "Lina",
            [
                "Lina wrap dress: €79.95. Colours: terracotta and navy.",
                "In stock in sizes XS, S, M, L and XL.",
            ],
        ),
        (
            "nl",
            "lina",
            [
                "Lina wikkeljurk: € 79,95. Kleuren: terracotta en marineblauw.",
                "Op voorraad in maat XS, S, M, L en XL.",
            ],
        ),
        ("en", "Ster", ["Ster gold hoops: €39.95. Colours: gold.", "In stock (one size)."]),
    ],
)
async def test_a_bare_product_name_gets_a_card(
    catalogue: Catalogue, language: str, text: str, expected: list[str]
) -> None:
    messages, events = await run(
        ActionProductSearch(catalogue),
        tracker(language, text, events=turns(1), entities={"product": text}),
    )
    assert texts(messages, language) == expected
    assert slot_events(events)["subject"] == "product"
    assert slot_events(events)["product"] == expected[0].split(":")[0]


# --- on sale? --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "product", "expected"),
    [
        (
            "en",
            "is it on sale?",
            "Lina",
            "The Lina wrap dress isn't on sale right now; it's €79.95.",
        ),
        (
            "nl",
            "is die in de uitverkoop?",
            "Lina",
            "De Lina wikkeljurk is nu niet in de sale; hij kost € 79,95.",
        ),
        (
            "en",
            "is it discounted?",
            "Storm",
            "The Storm raincoat is on sale: €103.96 instead of €129.95.",
        ),
        (
            "nl",
            "staat die in de solden?",
            "Storm",
            "De Storm regenjas is in de sale: nu € 103,96 in plaats van € 129,95.",
        ),
    ],
)
async def test_on_sale_is_answered_from_the_data(
    catalogue: Catalogue, language: str, text: str, product: str, expected: str
) -> None:
    messages, _ = await run(ActionProductPrice(catalogue), tracker(language, text, product=product))
    assert texts(messages, language) == [expected]


# --- care questions: the label as data ----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "product", "expected"),
    [
        (
            "en",
            "can I put it in the washing machine?",
            "Storm",
            "Yes, the Storm raincoat can go in the washing machine at up to 30 °C. "
            "Care: Machine wash at 30 °C, do not tumble dry, do not iron.",
        ),
        (
            "nl",
            "mag die in de droger?",
            "Storm",
            "Nee, de Storm regenjas mag niet in de droger. "
            "Wasvoorschrift: Wassen op 30 °C, niet in de droger, niet strijken.",
        ),
        (
            "en",
            "can I put it in the washing machine?",
            "Noor",
            "No, not in the washing machine: the Noor merino sweater is hand wash only. "
            "Care: Hand wash cold, dry flat, do not tumble dry.",
        ),
        (
            "nl",
            "mag die in de wasmachine?",
            "Loes",
            "Nee, de Loes leren riem mag niet gewassen worden. "
            "Wasvoorschrift: Niet wassen: afnemen met een vochtige doek.",
        ),
        (
            "en",
            "can it go in the dryer?",
            "Teun",
            "Yes, the Teun oxford shirt can go in the tumble dryer. "
            "Care: Machine wash at 30 °C, tumble dry low.",
        ),
        (
            "nl",
            "kan ik hem strijken?",
            "Lina",
            "Ja, de Lina wikkeljurk mag je strijken. "
            "Wasvoorschrift: Fijnwas op 30 °C, niet in de droger.",
        ),
        (
            "en",
            "can I iron it?",
            "Storm",
            "No, the Storm raincoat shouldn't be ironed. "
            "Care: Machine wash at 30 °C, do not tumble dry, do not iron.",
        ),
    ],
)
async def test_care_questions_are_answered_from_the_label(
    catalogue: Catalogue, language: str, text: str, product: str, expected: str
) -> None:
    messages, _ = await run(
        ActionProductDetails(catalogue), tracker(language, text, product=product)
    )
    assert texts(messages, language) == [expected]


# --- things we do not sell, sizes a product does not come in -------------------------------


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "do you sell bikinis?",
            "We don't sell \"bikinis\", and nothing we have comes close. Try another word, "
            "for example a category such as dresses, sweaters or jeans.",
        ),
        (
            "nl",
            "verkopen jullie bikini's?",
            "\"bikini\" verkopen we niet, en niets komt er echt bij in de buurt. Probeer een "
            "ander woord, bijvoorbeeld een categorie zoals jurken, truien of jeans.",
        ),
    ],
)
async def test_something_we_do_not_sell_gets_no_random_list(
    catalogue: Catalogue, language: str, text: str, expected: str
) -> None:
    messages, _ = await run(ActionProductSearch(catalogue), tracker(language, text))
    assert texts(messages, language) == [expected]


@pytest.mark.parametrize("language", ["en", "nl"])
async def test_unknown_words_with_a_colour_are_not_a_list_of_that_colour(
    catalogue: Catalogue, language: str
) -> None:
    # "black" alone would list any black product: that is not what was asked.
    messages, _ = await run(
        ActionProductSearch(catalogue),
        tracker(
            language,
            "do you have the Yves blazer in black?",
            entities={"color": "black", "product": "Yves blazer"},
        ),
    )
    assert names(messages) == ["utter_product_unknown"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "We don't sell \"Lena dress\". This is the closest we have:\n"),
        ("nl", "\"Lena dress\" verkopen we niet. Dit komt het dichtst in de buurt:\n"),
    ],
)
async def test_an_unknown_name_close_to_one_we_sell_offers_it(
    catalogue: Catalogue, language: str, expected: str
) -> None:
    messages, _ = await run(
        ActionProductPrice(catalogue),
        tracker(language, "how much is the Lena dress?", entities={"product": "Lena dress"}),
    )
    assert names(messages) == ["utter_product_not_sold_closest"]
    reply = render(messages[0], language)
    assert reply.startswith(expected)
    assert "Lina" in reply and reply.count("•") == 1


@pytest.mark.parametrize("language", ["en", "nl"])
async def test_an_unknown_name_like_nothing_we_sell_offers_nothing(
    catalogue: Catalogue, language: str
) -> None:
    messages, _ = await run(
        ActionProductPrice(catalogue),
        tracker(language, "how much is the Quixotic hat?", entities={"product": "Quixotic hat"}),
    )
    assert names(messages) == ["utter_product_unknown"]
    assert "•" not in render(messages[0], language)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "en",
            "do you have the Noor in XXL?",
            "The Noor merino sweater doesn't come in size XXL. Sizes: S, M, L and XL.",
        ),
        (
            "nl",
            "hebben jullie de Noor in maat 50?",
            "De Noor merino trui bestaat niet in maat 50. Beschikbare maten: S, M, L en XL.",
        ),
    ],
)
async def test_a_size_the_product_does_not_come_in_even_unrecognised_by_nlu(
    catalogue: Catalogue, language: str, text: str, expected: str
) -> None:
    messages, _ = await run(
        ActionProductAvailability(catalogue),
        tracker(language, text, entities={"product": "Noor"}),
    )
    assert texts(messages, language) == [expected]


# --- Flemish and informal words, singular and plural -------------------------------------


@pytest.mark.parametrize(
    ("language", "text", "category"),
    [
        ("nl", "hebde gij ne kleedje in het rood?", "dresses"),
        ("nl", "ik zoek nen warme pull", "knitwear"),
        ("nl", "hebben jullie een jeansbroek?", "jeans"),
        ("en", "do you sell a sneaker?", "shoes"),
        ("en", "got any sneakers?", "shoes"),
        ("nl", "verkopen jullie rokken?", "skirts"),
    ],
)
async def test_flemish_informal_and_plural_words_find_the_category(
    catalogue: Catalogue, language: str, text: str, category: str
) -> None:
    found = await catalogue.search_products(text, limit=3)
    assert found and {product.category for product in found} == {category}
    messages, _ = await run(ActionProductSearch(catalogue), tracker(language, text))
    assert names(messages)[0] in ("utter_product_search_results", "utter_product_card")
