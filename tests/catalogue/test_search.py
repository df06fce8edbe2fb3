"""Product search: synonyms across Dutch and English, typos, colours, and no false hits."""

from __future__ import annotations

from catalogue.repository import Catalogue
from catalogue.search import Vocabulary, build_search_text, normalise, query_tokens
from catalogue.vocabulary import color_key, normalise_size


def test_normalise_drops_accents_and_punctuation() -> None:
    assert normalise("Zoë's  Zijden-Blouse!") == "zoe s zijden blouse"


def test_query_tokens_drop_filler_words_in_both_languages() -> None:
    assert query_tokens("Hebben jullie een rode jurk?") == ["rode", "jurk"]
    assert query_tokens("Do you have the Lina wrap dress") == ["lina", "wrap", "dress"]


def test_search_text_holds_synonyms_of_category_and_colours() -> None:
    text = build_search_text(
        names=("Ravi jeans",), category="jeans", colors=("red",), materials=("denim",)
    )
    assert " spijkerbroek " in text and " rode " in text and text.startswith(" ")


def test_vocabulary_corrects_typos_but_not_nonsense() -> None:
    vocabulary = Vocabulary(["sweater", "jeans", "wrap", "dress"])
    assert vocabulary.resolve_token("sweeter") == ("sweater",)
    assert vocabulary.resolve_token("jeens") == ("jeans",)
    assert vocabulary.resolve_token("dre") == ("dre",)  # prefix of "dress"
    assert vocabulary.resolve_token("xylofoon") == ()


def test_sizes_and_colours_in_customer_words() -> None:
    assert normalise_size("medium") == "M"
    assert normalise_size("maat s") == "S"
    assert normalise_size("W30") == "30"
    assert color_key("rode") == "red" and color_key("marineblauw") == "navy"
    assert color_key("paars") is None


def _names(products: list) -> list[str]:  # type: ignore[type-arg]
    return [p.name_en for p in products]


CATEGORY_WORDS = [
    ("spijkerbroek", "jeans"),
    ("trui", "knitwear"),
    ("sweaters", "knitwear"),
    ("regenjas", "coats"),
    ("oorbellen", "earrings"),
    ("jeens", "jeans"),
]


async def test_category_words_find_that_category(seeded: Catalogue) -> None:
    for query, expected_category in CATEGORY_WORDS:
        found = await seeded.search_products(query, limit=3)
        assert found, query
        assert all(p.category == expected_category for p in found), (query, _names(found))


async def test_red_dress_finds_only_red_dresses(seeded: Catalogue) -> None:
    found = await seeded.search_products("rode jurk", limit=3)
    assert found
    for product in found:
        assert product.category == "dresses"
        assert "red" in {v.color for v in product.variants}


async def test_exact_and_misspelt_names(seeded: Catalogue) -> None:
    assert _names(await seeded.search_products("Lina wikkeljurk"))[0] == "Lina wrap dress"
    assert _names(await seeded.search_products("lina wrapp dres"))[0] == "Lina wrap dress"
    lookup = await seeded.find_product("Noor merino trui")
    assert lookup.product is not None and lookup.product.name_en == "Noor merino sweater"


async def test_unknown_product_is_not_guessed(seeded: Catalogue) -> None:
    lookup = await seeded.find_product("Zorro hoed")
    assert lookup.product is None and not lookup.candidates
    assert await seeded.search_products("qwerty") == []


async def test_ambiguous_name_gives_candidates(seeded: Catalogue) -> None:
    lookup = await seeded.find_product("sweater")
    assert lookup.product is None
    assert len(lookup.candidates) >= 2
    assert all(p.category == "knitwear" for p in lookup.candidates)


async def test_inactive_products_are_never_found(seeded: Catalogue) -> None:
    from sqlalchemy import update

    from catalogue.models import Product

    async with seeded.sessions() as session, session.begin():
        await session.execute(
            update(Product).where(Product.sku == "LC-JE-RAVI").values(active=False)
        )
    fresh = Catalogue(seeded.sessions, clock=seeded.now)
    assert "Ravi jeans" not in _names(await fresh.search_products("Ravi jeans", limit=3))


def test_flemish_and_informal_words_become_catalogue_words() -> None:
    assert query_tokens("hebde gij da kleedje in 't rood?") == ["jurk", "rood"]
    assert query_tokens("ik zoek nen pull") == ["trui"]
    assert query_tokens("ne jeansbroek aub") == ["jeans", "aub"]


def test_plurals_find_words_the_catalogue_has_in_the_singular_only() -> None:
    vocabulary = Vocabulary(["sneaker", "rok", "jurk"])
    assert vocabulary.resolve_token("sneakers") == ("sneaker",)
    assert vocabulary.resolve_token("rokken") == ("rok",)
    assert vocabulary.resolve_token("jurken") == ("jurk",)
    # Typo tolerance stays, and a plural of nothing we know stays unknown.
    assert vocabulary.resolve_token("sneeker") == ("sneaker",)
    assert vocabulary.resolve_token("bikinis") == ()


FLEMISH_AND_PLURAL = [
    ("kleedje", "dresses"),
    ("ne kleedje in het rood", "dresses"),
    ("pull", "knitwear"),
    ("jeansbroek", "jeans"),
    ("sneaker", "shoes"),
    ("sneakers", "shoes"),
    ("rokken", "skirts"),
]


async def test_flemish_and_plural_words_find_that_category(seeded: Catalogue) -> None:
    for query, expected_category in FLEMISH_AND_PLURAL:
        found = await seeded.search_products(query, limit=3)
        assert found, query
        assert all(p.category == expected_category for p in found), (query, _names(found))


async def test_closest_products_only_when_a_name_is_really_alike(seeded: Catalogue) -> None:
    # "Lena" is one letter from "Lina": offered. Nothing is spelt like "bikini" or "Quixotic".
    assert _names(await seeded.closest_products(["lena"])) == ["Lina wrap dress"]
    assert await seeded.closest_products(["bikini"]) == []
    assert await seeded.closest_products(["quixotic"]) == []
    # The threshold is what decides: a stricter one drops the one-letter difference too.
    assert await seeded.closest_products(["lena"], min_score=80) == []


async def test_a_query_says_which_words_the_catalogue_does_not_know(seeded: Catalogue) -> None:
    resolved = await seeded.resolve_query("the Yves blazer in black")
    assert resolved.unknown == ("yves", "blazer")
    assert not resolved.names_a_kind_of_product
    assert (await seeded.resolve_query("black dress")).names_a_kind_of_product
