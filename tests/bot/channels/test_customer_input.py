"""The REST channel's input rules (bot/channels/customer_input.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.customer_input import (
    MAX_MESSAGE_CHARS,
    clean_text,
    message_problem,
    sender_problem,
)


@pytest.mark.parametrize("sender", ["me", "e2e-1a2b", "widget_123.abc", "x" * 128])
def test_ordinary_sender_ids_are_accepted(sender: str) -> None:
    assert sender_problem(sender) is None


@pytest.mark.parametrize(
    "sender",
    ["", "x" * 129, "whatsapp:31612345678", "messenger:123", "a b", "a\nb", "é", "../x", 42,
     None, {"id": 1}],
)
def test_other_sender_ids_are_refused_with_the_rule(sender: object) -> None:
    assert sender_problem(sender) == "'sender' must be 1 to 128 letters, digits, '-', '_' or '.'."


@pytest.mark.parametrize("message", ["", "hoi", "🙂" * 10, "a" * MAX_MESSAGE_CHARS])
def test_messages_up_to_the_limit_are_accepted(message: str) -> None:
    assert message_problem(message) is None


def test_longer_and_non_text_messages_are_refused() -> None:
    too_long = "a" * (MAX_MESSAGE_CHARS + 1)
    assert message_problem(too_long) == "'message' is longer than 5000 characters."
    for message in (None, 42, {"text": "hoi"}, ["hoi"]):
        assert message_problem(message) == "'message' must be text."


def test_control_characters_and_lone_surrogates_are_cleaned() -> None:
    assert clean_text("hoi\x00\x1b[31m\x7f daar\tnu\r\n") == "hoi[31m daar\tnu\r\n"
    assert clean_text("hoi \ud800 daar") == "hoi \ufffd daar"
    # A proper pair (an emoji) is kept whole.
    assert clean_text("\U0001f642 \ud83d\ude42") == "\U0001f642 \U0001f642"


@given(st.text())
def test_clean_text_is_always_encodable_and_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    cleaned.encode("utf-8")
    assert clean_text(cleaned) == cleaned
    assert "\x00" not in cleaned
