"""The first message decides the language, through the real Rasa and action server.

A Dutch greeting ("hoi", "goedemiddag") is answered in Dutch and an English one ("hello") in
English; a greeting both languages use ("hey") gets the brand default, Dutch for Linde & Co
(BRAND_DEFAULT_LANGUAGE, unset in the e2e stack).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import RunningStack
from tests.e2e.test_internal_intents import tracker
from tests.e2e.test_support_loop import say_rest

pytestmark = pytest.mark.e2e

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"


def response_variants(name: str) -> dict[str, str]:
    """The Dutch (conditioned on the slot) and English (unconditioned) text of a response."""
    responses: dict[str, list[dict[str, Any]]] = yaml.safe_load(DOMAIN.read_text())["responses"]
    variants: dict[str, str] = {}
    for variant in responses[name]:
        conditions = variant.get("condition") or []
        language = conditions[0]["value"] if conditions else "en"
        variants[language] = variant["text"]
    assert set(variants) == {"nl", "en"}, variants
    return variants


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hoi", "nl"),
        ("goedemiddag", "nl"),
        ("hallo", "nl"),
        ("hello", "en"),
        ("good afternoon", "en"),
        ("hey", "nl"),  # no evidence either way: the brand default
    ],
)
async def test_a_first_greeting_is_answered_in_its_language(
    stack: RunningStack, text: str, language: str
) -> None:
    sender = f"e2e-first-{uuid.uuid4().hex[:10]}"
    replies = await say_rest(stack, sender, text)
    state = await tracker(stack, sender)
    assert state["slots"]["language"] == language, (text, replies)
    utters = [
        (e.get("metadata") or {}).get("utter_action")
        for e in state["events"]
        if e["event"] == "bot"
    ]
    responses = [u for u in utters if u]
    assert responses, (text, replies, utters)
    # Every reply is the variant of its response in the conversation's language.
    assert replies == [response_variants(u)[language] for u in responses], (text, replies)
