"""Which messages have no words (rules; inside Rasa: rasa_component_checks.check_no_words)."""

from __future__ import annotations

import pytest

from bot.input_rules import has_words


@pytest.mark.parametrize(
    "text", ["", "   ", "\n\t", "👍👍", "???!!", "...", "🙈❤️🔥", "\u200b", None]
)
def test_nothing_to_read(text: str | None) -> None:
    assert not has_words(text)


@pytest.mark.parametrize("text", ["hoi", "M", "42", "Storm?", "é", "👍 ok", "日本", "?a"])
def test_a_letter_or_digit_is_a_word(text: str) -> None:
    assert has_words(text)
