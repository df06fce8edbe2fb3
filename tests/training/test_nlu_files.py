"""Round-trip editing: adding an example changes only the line it adds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.training.factories import EN_SHOPPING, NL_SHOPPING
from training.nlu_files import (
    NluFileError,
    append_intent,
    insert_example,
    read_nlu_source,
)


def added_lines(before: str, after: str) -> list[tuple[int, str]]:
    """The line `after` has beyond `before`, provided nothing else moved or changed."""
    if not before.endswith("\n"):
        # A file without a final newline keeps having none; compare as if both had one.
        assert not after.endswith("\n")
        before, after = before + "\n", after + "\n"
    old = before.splitlines(keepends=True)
    new = after.splitlines(keepends=True)
    assert len(new) == len(old) + 1
    index = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    assert new[:index] == old[:index]
    assert new[index + 1 :] == old[index:]
    return [(index, new[index])]


def texts(source: str, intent: str) -> list[str]:
    """The example texts of one intent in a file's source."""
    return [e.text for e in read_nlu_source(source, Path("x.yml"), "en") if e.intent == intent]


def test_insert_keeps_every_other_byte() -> None:
    after, line = insert_example(EN_SHOPPING, "product_price", "what is the price of a scarf")
    assert added_lines(EN_SHOPPING, after) == [(11, "    - what is the price of a scarf\n")]
    assert line == 12
    # The blank line inside the block and the comment before the next item are where they were.
    assert after.encode() == EN_SHOPPING.encode().replace(
        b"on sale\n", b"on sale\n    - what is the price of a scarf\n", 1
    )


def test_insert_follows_the_block_indentation() -> None:
    after, _ = insert_example(EN_SHOPPING, "order_status", "any news on my parcel")
    assert added_lines(EN_SHOPPING, after) == [(16, "      - any news on my parcel\n")]
    after_nl, _ = insert_example(NL_SHOPPING, "greet", "hallo daar")
    assert added_lines(NL_SHOPPING, after_nl) == [(13, "      - hallo daar\n")]


def test_insert_into_last_block_of_file_without_final_newline() -> None:
    assert not EN_SHOPPING.endswith("\n")
    after, _ = insert_example(EN_SHOPPING, "greet", "hey how are you")
    assert after == EN_SHOPPING + "\n    - hey how are you"
    assert texts(after, "greet") == ["hello there", "good morning to you", "hey how are you"]


def test_insert_keeps_windows_line_endings() -> None:
    source = NL_SHOPPING.replace("\n", "\r\n")
    after, _ = insert_example(source, "order_status", "wanneer komt mijn pakket")
    assert after == source.replace(
        "verstuurd\r\n", "verstuurd\r\n      - wanneer komt mijn pakket\r\n", 1
    )


def test_synonyms_are_not_intents() -> None:
    with pytest.raises(NluFileError):
        insert_example(EN_SHOPPING, "Lina wrap dress", "lina jurk")


def test_empty_block_gets_its_first_example() -> None:
    source = (
        'version: "3.1"\nnlu:\n- intent: thank\n  examples: |\n'
        "- intent: goodbye\n  examples: |\n    - bye\n"
    )
    after, _ = insert_example(source, "thank", "thanks a lot")
    assert after == source.replace(
        "|\n- intent: goodbye", "|\n    - thanks a lot\n- intent: goodbye"
    )


def test_append_intent_adds_an_item_at_the_end() -> None:
    after, _ = append_intent(NL_SHOPPING, "thank", "dank je wel")
    assert after == NL_SHOPPING + "  - intent: thank\n    examples: |\n      - dank je wel\n"
    assert texts(after, "thank") == ["dank je wel"]


def test_append_intent_to_new_file() -> None:
    after, line = append_intent("", "thank", "dank je wel")
    assert texts(after, "thank") == ["dank je wel"]
    assert after.splitlines()[line - 1] == "    - dank je wel"


def test_broken_yaml_is_not_edited() -> None:
    with pytest.raises(NluFileError):
        insert_example("nlu:\n- intent: greet\n  examples: |\n    - hi\n  bad: [\n", "greet", "hey")


example_text = (
    st.text(
        alphabet=st.characters(
            whitelist_categories=("L", "N", "P", "S", "Zs"),
            blacklist_characters="\r\n\x85\u2028\u2029",
        ),
        min_size=1,
        max_size=60,
    )
    .map(lambda text: " ".join(text.split()))
    .filter(bool)
)


@settings(max_examples=80, deadline=None)
@given(text=example_text, intent=st.sampled_from(["product_price", "order_status", "greet"]))
def test_any_text_round_trips(text: str, intent: str) -> None:
    after, _ = insert_example(EN_SHOPPING, intent, text)
    added_lines(EN_SHOPPING, after)
    assert texts(after, intent) == [*texts(EN_SHOPPING, intent), text]
    for other in {"product_price", "order_status", "greet"} - {intent}:
        assert texts(after, other) == texts(EN_SHOPPING, other)
