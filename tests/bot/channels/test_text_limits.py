"""Long answers are split within each platform's limit without losing a word."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.text_limits import (
    INSTAGRAM_TEXT_BYTES,
    MESSENGER_TEXT_LIMIT,
    split_text,
    utf8_bytes,
)


def test_short_text_is_one_part() -> None:
    assert split_text("  Hoi! Waarmee kan ik helpen?  ", MESSENGER_TEXT_LIMIT) == [
        "Hoi! Waarmee kan ik helpen?"
    ]


def test_paragraphs_are_preferred_break_points() -> None:
    first = "Eerste alinea. " * 60
    second = "Tweede alinea. " * 60
    parts = split_text(first.strip() + "\n\n" + second.strip(), 1000)
    assert parts[0].endswith("Eerste alinea.")
    assert all(len(part) <= 1000 for part in parts)


def test_instagram_counts_bytes_not_characters() -> None:
    text = "€ " * 400  # 400 euro signs = 1200 bytes, 800 characters
    parts = split_text(text, INSTAGRAM_TEXT_BYTES, utf8_bytes)
    assert len(parts) == 2
    assert all(utf8_bytes(part) <= INSTAGRAM_TEXT_BYTES for part in parts)


words = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Z", "Cc")), min_size=1,
                max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=1, max_size=120),
       st.sampled_from([" ", "\n", "\n\n", ". "]),
       st.integers(min_value=20, max_value=300))
def test_every_part_fits_and_no_word_is_lost(parts_in: list[str], glue: str, limit: int) -> None:
    text = glue.join(parts_in)
    parts = split_text(text, limit, utf8_bytes)
    assert all(0 < utf8_bytes(part) <= limit for part in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())
