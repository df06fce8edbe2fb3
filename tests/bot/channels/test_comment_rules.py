"""Spam and plain praise under a post get no ticket; questions and complaints do."""

from __future__ import annotations

import pytest

from bot.channels.comment_rules import OTHER, PRAISE, SPAM, comment_kind


@pytest.mark.parametrize("text", [
    "Earn $500 a day with crypto, DM me", "check my page for free followers!!",
    "Win an iPhone at www.prizes-now.xyz", "https://bit.ly/abc",
])
def test_spam(text: str) -> None:
    assert comment_kind(text) == SPAM


@pytest.mark.parametrize("text", ["Prachtig! 😍", "love it", "😍🔥🔥", "so beautiful", "❤️"])
def test_plain_praise(text: str) -> None:
    assert comment_kind(text) == PRAISE


@pytest.mark.parametrize("text", [
    # "wat" may start a question: the assistant decides.
    "Wat een mooie jurk", "Wat kost deze jurk?", "Is this available in size M?",
    "Mooi, maar hebben jullie hem in XL?",
    "Mijn bestelling is nog steeds niet binnen, al twee weken!", "how much is the Lina dress",
])
def test_questions_and_complaints_go_to_the_assistant(text: str) -> None:
    assert comment_kind(text) == OTHER
