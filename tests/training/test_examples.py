"""Adding examples: every refusal reason, for Dutch and for English examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.training.factories import make_project
from training.examples import add_example, check_example, validate_data
from training.markup import EntitySpan, mark_entities
from training.paths import ProjectPaths
from training.refusals import ExampleRefused, RefusalCode


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    return make_project(tmp_path / "project")


def snapshot(paths: ProjectPaths) -> dict[Path, bytes]:
    return {path: path.read_bytes() for path in sorted(paths.nlu.rglob("*")) if path.is_file()}


def refuse(paths: ProjectPaths, intent: str, language: str, text: str) -> ExampleRefused:
    """Add an example that must be refused, and check that no file changed."""
    before = snapshot(paths)
    with pytest.raises(ExampleRefused) as refused:
        add_example(paths, intent, language, text)
    assert snapshot(paths) == before
    return refused.value


def codes(refused: ExampleRefused) -> list[RefusalCode]:
    return [refusal.code for refusal in refused.refusals]


# (language, intent, text, code, words in the English message, words in the Dutch message)
CASES = [
    (
        "en",
        "product_colour",
        "which colours does the dress come in",
        RefusalCode.UNKNOWN_INTENT,
        "does not exist",
        "bestaat niet",
    ),
    (
        "nl",
        "product_colour",
        "in welke kleuren is de jurk er",
        RefusalCode.UNKNOWN_INTENT,
        "does not exist",
        "bestaat niet",
    ),
    (
        "en",
        "greet",
        "what does the noor blazer cost!",
        RefusalCode.CONFLICT,
        "product_price",
        "product_price",
    ),
    (
        "nl",
        "greet",
        "Hoeveel kóst de Noor-blazer?",
        RefusalCode.CONFLICT,
        "product_price",
        "product_price",
    ),
    (
        "en",
        "product_price",
        "hoeveel kost die mooie rode jas eigenlijk",
        RefusalCode.WRONG_LANGUAGE,
        "looks Dutch",
        "lijkt Nederlands",
    ),
    (
        "nl",
        "product_price",
        "how much does that lovely red coat cost",
        RefusalCode.WRONG_LANGUAGE,
        "looks English",
        "lijkt Engels",
    ),
    ("en", "product_price", "   ", RefusalCode.EMPTY, "empty", "leeg"),
    ("nl", "product_price", "", RefusalCode.EMPTY, "empty", "leeg"),
    (
        "en",
        "complaint",
        "the dress is far too small " * 19,
        RefusalCode.TOO_LONG,
        "limit is 500",
        "maximum is 500",
    ),
    (
        "nl",
        "complaint",
        "de jurk is veel te klein " * 21,
        RefusalCode.TOO_LONG,
        "limit is 500",
        "maximum is 500",
    ),
    (
        "en",
        "order_status",
        "where is my order, mail me at anna.de.vries@example.nl",
        RefusalCode.EMAIL,
        "email address",
        "e-mailadres",
    ),
    (
        "nl",
        "order_status",
        "waar is mijn bestelling? mail naar anna@example.com",
        RefusalCode.EMAIL,
        "email address",
        "e-mailadres",
    ),
    (
        "en",
        "human_handoff",
        "please call me back on +31 6 1234 5678",
        RefusalCode.PHONE,
        "phone number",
        "telefoonnummer",
    ),
    (
        "nl",
        "human_handoff",
        "bel me even terug op 06-12345678 graag",
        RefusalCode.PHONE,
        "phone number",
        "telefoonnummer",
    ),
    (
        "nl",
        "human_handoff",
        "stort het terug op NL91 ABNA 0417 1643 00 alsjeblieft",
        RefusalCode.IBAN,
        "IBAN",
        "rekeningnummer",
    ),
    (
        "nl",
        "human_handoff",
        "ik woon op 1012 AB en wil iemand spreken",
        RefusalCode.POSTCODE,
        "postcode",
        "postcode",
    ),
    (
        "en",
        "human_handoff",
        "my parcel 3SLDC100234NL never came, I want a person",
        RefusalCode.TRACKING_CODE,
        "tracking code",
        "track-and-tracecode",
    ),
    (
        "nl",
        "order_status",
        "waar blijft bestelling [order] nou",
        RefusalCode.PLACEHOLDER,
        "[100555](order_number)",
        "verzonnen",
    ),
    (
        "en",
        "order_status",
        "where is my order 100234 please",
        RefusalCode.ORDER_NUMBER,
        "[100234](order_number)",
        "[100234](order_number)",
    ),
    (
        "nl",
        "order_status",
        "waar blijft bestelling 100234 toch",
        RefusalCode.ORDER_NUMBER,
        "[100234](order_number)",
        "[100234](order_number)",
    ),
]


@pytest.mark.parametrize(("language", "intent", "text", "code", "en_words", "nl_words"), CASES)
def test_refusal_reasons(
    project: ProjectPaths,
    language: str,
    intent: str,
    text: str,
    code: RefusalCode,
    en_words: str,
    nl_words: str,
) -> None:
    refused = refuse(project, intent, language, text)
    assert codes(refused) == [code]
    refusal = refused.refusals[0]
    assert en_words in refusal.message("en")
    assert nl_words in refusal.message("nl")
    assert refusal.message("en") != refusal.message("nl")


def test_unknown_entity_and_untrainable_intent(project: ProjectPaths) -> None:
    refused = refuse(project, "nlu_fallback", "en", "do you sell [hats](headwear) online")
    assert codes(refused) == [RefusalCode.UNTRAINABLE_INTENT, RefusalCode.UNKNOWN_ENTITY]
    assert "headwear" in refused.refusals[1].message("nl")


def test_duplicate_in_same_intent_and_language(project: ProjectPaths) -> None:
    refused = refuse(project, "order_status", "nl", "Is mijn pakketje al verstuurd?")
    assert codes(refused) == [RefusalCode.DUPLICATE]
    assert "nl/shopping.yml:10" in refused.refusals[0].message("en")


def test_several_reasons_are_all_given(project: ProjectPaths) -> None:
    refused = refuse(project, "track_parcel", "en", "my number is 0612345678, order 100234")
    assert set(codes(refused)) == {
        RefusalCode.UNKNOWN_INTENT,
        RefusalCode.PHONE,
        RefusalCode.ORDER_NUMBER,
    }


def test_marked_order_number_is_accepted_and_written(project: ProjectPaths) -> None:
    text = mark_entities(
        "wanneer komt bestelling 100555 eindelijk aan", [EntitySpan(24, 30, "order_number")]
    )
    assert text == "wanneer komt bestelling [100555](order_number) eindelijk aan"
    before = (project.nlu / "nl" / "shopping.yml").read_text(encoding="utf-8")
    added = add_example(project, "order_status", "nl", text)
    after = (project.nlu / "nl" / "shopping.yml").read_text(encoding="utf-8")
    assert added.path == project.nlu / "nl" / "shopping.yml"
    assert after == before.replace("verstuurd\n", f"verstuurd\n      - {text}\n", 1)


def test_text_is_cleaned_to_one_line(project: ProjectPaths) -> None:
    cleaned, refusals = check_example(project, "goodbye", "en", "  see you\n later,\tbye  ")
    assert (cleaned, refusals) == ("see you later, bye", [])


def test_same_text_in_both_languages_is_allowed(project: ProjectPaths) -> None:
    add_example(project, "greet", "en", "goedemorgen")
    assert "- goedemorgen" in (project.nlu / "en" / "shopping.yml").read_text(encoding="utf-8")


def test_new_intent_gets_its_own_file(project: ProjectPaths) -> None:
    added = add_example(project, "thank", "nl", "heel erg bedankt voor je hulp")
    assert added.path == project.nlu / "nl" / "thank.yml"
    assert validate_data(project) == []


def test_validate_reports_conflicts_in_existing_data(project: ProjectPaths) -> None:
    path = project.nlu / "en" / "extra.yml"
    path.write_text(
        "nlu:\n- intent: greet\n  examples: |\n    - Where is my order [100234](order_number)?\n"
        "    - call me on 0612345678\n",
        encoding="utf-8",
    )
    problems = validate_data(project)
    found = [(p.example.where, p.refusal.code, p.error) for p in problems]
    assert found == [
        ("en/extra.yml:5", RefusalCode.PHONE, True),
        ("en/shopping.yml:15", RefusalCode.CONFLICT, True),
    ]
    assert "'greet' (en/extra.yml:4" in problems[1].refusal.message("en")


def test_code_switching_and_short_texts_are_not_refused_for_language(
    project: ProjectPaths,
) -> None:
    # Customers mix languages; only a clear verdict on a long enough text refuses.
    for language, text in [
        ("nl", "wat is jullie return policy"),
        ("nl", "hey hoi"),
        ("en", "is this chatgpt?"),
    ]:
        _, found = check_example(project, "help", language, text)
        assert found == [], (text, found)


def test_a_faq_topic_takes_examples_and_the_bare_retrieval_intent_does_not(
    project: ProjectPaths,
) -> None:
    # A retrieval intent: `faq` with one response per topic (utter_faq/<topic>).
    domain = project.domain.read_text(encoding="utf-8")
    domain = domain.replace("intents:\n", "intents:\n  - faq\n", 1).rstrip("\n")
    project.domain.write_text(
        domain + '\n  utter_faq/gift_cards:\n    - text: "Gift cards"\n', encoding="utf-8"
    )
    added = add_example(project, "faq/gift_cards", "nl", "kan ik met een cadeaubon in de sale")
    assert added.path == project.nlu / "nl" / "faq.yml"
    assert "- intent: faq/gift_cards" in added.path.read_text(encoding="utf-8")
    assert validate_data(project) == []
    assert codes(refuse(project, "faq", "en", "do you sell gift cards")) == [
        RefusalCode.UNTRAINABLE_INTENT
    ]
    assert codes(refuse(project, "faq/no_such_topic", "en", "do you sell gift cards")) == [
        RefusalCode.UNKNOWN_INTENT
    ]
