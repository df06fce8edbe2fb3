"""Product actions in Dutch and English, answering from a seeded catalogue."""

from __future__ import annotations

import pytest

from actions.escalation_packet import escalation_packet
from actions.products import (
    ActionProductAvailability,
    ActionProductDetails,
    ActionProductPrice,
    ActionProductSearch,
)
from catalogue.repository import Catalogue
from tests.actions.catalogue_helpers import names, render, run, slot_events, tracker, variables


@pytest.mark.parametrize(
    ("language", "product", "expected"),
    [
        ("nl", "Lina wikkeljurk", "De Lina wikkeljurk kost € 79,95."),
        ("en", "Lina wrap dress", "The Lina wrap dress is €79.95."),
    ],
)
async def test_price_of_the_lina_wrap_dress(
    catalogue: Catalogue, language: str, product: str, expected: str
) -> None:
    messages, events = await run(ActionProductPrice(catalogue), tracker(language, product=product))
    assert names(messages) == ["utter_product_price"]
    assert render(messages[0], language) == expected
    assert slot_events(events)["product"] == product
    assert slot_events(events)["subject"] == "product"


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("nl", "wat kost de lina wikkeljurk?", "De Lina wikkeljurk kost € 79,95."),
        ("en", "how much is the lina wrap dress", "The Lina wrap dress is €79.95."),
    ],
)
async def test_price_found_in_the_message_when_no_entity_was_extracted(
    catalogue: Catalogue, language: str, text: str, expected: str
) -> None:
    messages, _ = await run(ActionProductPrice(catalogue), tracker(language, text))
    assert [render(m, language) for m in messages] == [expected]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "De Storm regenjas is in de sale: nu € 103,96 in plaats van € 129,95."),
        ("en", "The Storm raincoat is on sale: €103.96 instead of €129.95."),
    ],
)
async def test_sale_price(catalogue: Catalogue, language: str, expected: str) -> None:
    messages, _ = await run(ActionProductPrice(catalogue), tracker(language, product="storm"))
    assert names(messages) == ["utter_product_price_sale"]
    assert render(messages[0], language) == expected


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_unknown_product_is_said_so_and_forgotten(
    catalogue: Catalogue, language: str
) -> None:
    messages, events = await run(
        ActionProductPrice(catalogue), tracker(language, product="Zorro hoed")
    )
    assert names(messages) == ["utter_product_unknown"]
    assert variables(messages[0]) == {"product": "Zorro hoed"}
    assert "Zorro hoed" in render(messages[0], language)
    assert slot_events(events) == {"product": None}


async def test_unclear_product_lists_the_candidates(catalogue: Catalogue) -> None:
    messages, _ = await run(ActionProductPrice(catalogue), tracker("nl", product="trui"))
    assert names(messages) == ["utter_product_which"]
    text = render(messages[0], "nl")
    assert text.startswith("Ik vond meerdere producten.")
    assert text.count("• ") >= 2 and "€ " in text


async def test_no_product_named_at_all(catalogue: Catalogue) -> None:
    messages, _ = await run(ActionProductPrice(catalogue), tracker("en", ""))
    assert names(messages) == ["utter_product_name_missing"]


@pytest.mark.parametrize(
    ("language", "text", "must_contain"),
    [
        ("nl", "hebben jullie een spijkerbroek?", ["jeans", "€ "]),
        ("en", "do you have jeens", ["jeans", "€"]),
        ("nl", "ik zoek een rode jurk", ["€ "]),
        ("en", "warm sweaters", ["sweater", "€"]),
    ],
)
async def test_search_answers_with_up_to_three_matches(
    catalogue: Catalogue, language: str, text: str, must_contain: list[str]
) -> None:
    messages, _ = await run(ActionProductSearch(catalogue), tracker(language, text))
    assert names(messages) == ["utter_product_search_results"]
    rendered = render(messages[0], language)
    lines = rendered.splitlines()[1:]
    assert 1 <= len(lines) <= 3
    for line in lines:
        assert all(word.lower() in line.lower() for word in must_contain), line


async def test_search_uses_the_entities_of_the_message(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionProductSearch(catalogue),
        tracker("en", "got any in red?", entities={"color": "red", "category": "dress"}),
    )
    rendered = render(messages[0], "en")
    assert "Fenna midi dress" in rendered and "Rosa slip dress" in rendered
    assert "Lina" not in rendered  # terracotta and navy only


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_search_without_results(catalogue: Catalogue, language: str) -> None:
    messages, _ = await run(ActionProductSearch(catalogue), tracker(language, "xyzzy"))
    assert names(messages) == ["utter_product_search_none"]
    assert '"xyzzy"' in render(messages[0], language)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            "De Lina wikkeljurk in M / terracotta is uitverkocht; "
            "we verwachten hem weer op dinsdag 15 december.",
        ),
        (
            "en",
            "The Lina wrap dress in M / terracotta is sold out; "
            "we expect it back on Tuesday 15 December.",
        ),
    ],
)
async def test_sold_out_variant_gives_the_restock_date(
    catalogue: Catalogue, language: str, expected: str
) -> None:
    messages, _ = await run(
        ActionProductAvailability(catalogue),
        tracker(language, product="Lina wrap dress", size="M", color="terracotta"),
    )
    assert [render(m, language) for m in messages] == [expected]


@pytest.mark.parametrize(
    ("language", "color", "expected"),
    [
        ("nl", "marineblauw", "Goed nieuws: de Lina wikkeljurk in M / marineblauw is op voorraad"),
        ("en", "navy", "Good news: the Lina wrap dress in M / navy is in stock (4 left)."),
    ],
)
async def test_in_stock_variant(
    catalogue: Catalogue, language: str, color: str, expected: str
) -> None:
    messages, _ = await run(
        ActionProductAvailability(catalogue),
        tracker(language, product="Lina", size="medium", color=color),
    )
    assert names(messages) == ["utter_product_in_stock"]
    assert variables(messages[0])["stock"] == 4
    assert render(messages[0], language).startswith(expected)


async def test_sold_out_without_restock_date(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionProductAvailability(catalogue), tracker("en", product="Noor", size="XL")
    )
    assert names(messages) == ["utter_product_sold_out", "utter_product_sold_out"]
    assert {variables(m)["variant"] for m in messages} == {"XL / ecru", "XL / grey"}


async def test_size_overview_mentions_what_is_in_stock_and_what_comes_back(
    catalogue: Catalogue,
) -> None:
    messages, _ = await run(
        ActionProductAvailability(catalogue), tracker("nl", product="Lina wikkeljurk", size="M")
    )
    assert names(messages) == ["utter_product_available_in", "utter_product_sold_out_restock"]
    assert render(messages[0], "nl") == "De Lina wikkeljurk is op voorraad in: marineblauw: M."


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "De Noor merino trui bestaat niet in maat XXS. Beschikbare maten: S, M, L en XL."),
        ("en", "The Noor merino sweater doesn't come in size XXS. Sizes: S, M, L and XL."),
    ],
)
async def test_size_that_does_not_exist(catalogue: Catalogue, language: str, expected: str) -> None:
    messages, events = await run(
        ActionProductAvailability(catalogue), tracker(language, product="Noor", size="XXS")
    )
    assert [render(m, language) for m in messages] == [expected]
    assert slot_events(events)["size"] is None


async def test_colour_that_does_not_exist(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionProductAvailability(catalogue), tracker("nl", product="Mila", color="rood")
    )
    assert render(messages[0], "nl") == (
        "De Mila linnen blouse is er niet in rood, wel in wit en saliegroen."
    )


@pytest.mark.parametrize(
    ("language", "details", "fit"),
    [
        (
            "nl",
            "De Ravi jeans is gemaakt van biologisch katoenen denim. "
            "Wasvoorschrift: Binnenstebuiten wassen op 30 °C, niet in de droger.",
            "Pasvorm: Valt klein: neem een maat groter.",
        ),
        (
            "en",
            "The Ravi jeans is made of organic cotton denim. "
            "Care: Machine wash at 30 °C inside out, do not tumble dry.",
            "Fit: Runs small: size up.",
        ),
    ],
)
async def test_details_with_fit_note(
    catalogue: Catalogue, language: str, details: str, fit: str
) -> None:
    messages, _ = await run(
        ActionProductDetails(catalogue), tracker(language, product="ravi jeans")
    )
    assert [render(m, language) for m in messages] == [details, fit]


async def test_details_without_fit_note(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionProductDetails(catalogue), tracker("en", product="Noor merino sweater")
    )
    assert names(messages) == ["utter_product_details"]
    assert variables(messages[0])["material"] == "100% merino wool"


async def test_unset_language_answers_in_the_brand_default(catalogue: Catalogue) -> None:
    """Fixed bug: catalogue answers fell back to English while escalations fell back to Dutch."""
    conversation = tracker(None, product="Lina")
    messages, _ = await run(ActionProductPrice(catalogue), conversation)
    assert render(messages[0], "nl") == "De Lina wikkeljurk kost € 79,95."
    assert escalation_packet(conversation, "fallback")["language"] == "nl"


async def test_red_dress_in_dutch_finds_the_red_dresses(catalogue: Catalogue) -> None:
    messages, _ = await run(ActionProductSearch(catalogue), tracker("nl", "ik zoek een rode jurk"))
    rendered = render(messages[0], "nl")
    assert rendered.splitlines() == [
        "Dit heb ik gevonden:",
        "• Fenna midi-jurk – € 89,95",
        "• Rosa slipdress – € 49,95",
    ]


async def test_a_new_product_in_the_message_beats_the_one_talked_about_before(
    catalogue: Catalogue,
) -> None:
    messages, events = await run(
        ActionProductPrice(catalogue),
        tracker("en", "and the Storm raincoat?", product="Lina wrap dress"),
    )
    assert names(messages) == ["utter_product_price_sale"]
    # Another product: the size and colour asked about the Lina are not the Storm's.
    assert slot_events(events) == {
        "product": "Storm raincoat",
        "size": None,
        "color": None,
        "subject": "product",
        "subject_turn": "0",
    }


async def test_follow_up_question_uses_the_product_talked_about_before(
    catalogue: Catalogue,
) -> None:
    messages, _ = await run(
        ActionProductPrice(catalogue), tracker("nl", "en wat kost die?", product="Lina wikkeljurk")
    )
    assert render(messages[0], "nl") == "De Lina wikkeljurk kost € 79,95."


async def test_search_ignores_slots_left_from_earlier_questions(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionProductSearch(catalogue),
        tracker("nl", "hebben jullie spijkerbroeken?", product="Lina wikkeljurk", color="rood"),
    )
    lines = render(messages[0], "nl").splitlines()[1:]
    assert lines and all("jeans" in line for line in lines)


async def test_availability_keeps_the_size_for_follow_ups(catalogue: Catalogue) -> None:
    _, events = await run(
        ActionProductAvailability(catalogue),
        tracker("en", "is it there in M?", product="Lina", entities={"size": "M"}),
    )
    # "And in navy?" next asks about M in navy (tests/actions/test_product_follow_ups.py).
    assert slot_events(events) == {
        "size": "M",
        "color": None,
        "product": "Lina wrap dress",
        "subject": "product",
        "subject_turn": "0",
    }


async def test_no_results_echo_the_searched_words(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionProductSearch(catalogue), tracker("en", "Do you have any unicorn onesies?")
    )
    assert render(messages[0], "en").startswith('We don\'t sell "unicorn onesies"')


async def test_colour_and_size_found_in_the_words_when_nlu_missed_them(
    catalogue: Catalogue,
) -> None:
    messages, _ = await run(
        ActionProductAvailability(catalogue),
        tracker(
            "en",
            "do you have the Lina wrap dress in M in terracotta?",
            entities={"size": "M"},
        ),
    )
    assert names(messages) == ["utter_product_sold_out_restock"]
    noor, _ = await run(
        ActionProductAvailability(catalogue),
        tracker("en", "is the Noor sweater available in xl, in grey?"),
    )
    assert [variables(m)["variant"] for m in noor] == ["XL / grey"]
    whats, _ = await run(
        ActionProductAvailability(catalogue), tracker("en", "what's in stock of the Mila shirt")
    )
    assert names(whats) == ["utter_product_available_in"]  # no size S guessed from "what's"
