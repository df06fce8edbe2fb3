"""domain.yml and actions/domain_names.py agree, and every customer-facing text is bilingual."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from actions import domain_names as names
from actions.clarification import INTENT_LABELS, NEITHER_LABEL

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load((ROOT / "domain.yml").read_text("utf-8"))
    return loaded


def test_slots_agree(domain: dict[str, Any]) -> None:
    assert set(domain["slots"]) == set(names.SLOTS)


def test_intents_agree(domain: dict[str, Any]) -> None:
    assert set(domain["intents"]) == set(names.INTENTS)


def test_entities_agree(domain: dict[str, Any]) -> None:
    assert set(domain["entities"]) == set(names.ENTITIES)


def test_forms_agree(domain: dict[str, Any]) -> None:
    assert set(domain["forms"]) == set(names.FORMS)


def test_actions_agree(domain: dict[str, Any]) -> None:
    assert set(domain["actions"]) == set(names.ACTIONS)


def test_named_responses_exist(domain: dict[str, Any]) -> None:
    assert set(domain["responses"]) >= names.RESPONSES


def _variation_language(variation: dict[str, Any]) -> str | None:
    """'nl'/'en' for a variation conditioned on the language slot; None for the default."""
    for condition in variation.get("condition") or []:
        if condition.get("name") == names.SLOT_LANGUAGE:
            return str(condition.get("value"))
    return None


def _responses(domain: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return sorted(domain["responses"].items())


def test_every_response_has_a_dutch_and_an_english_variation(domain: dict[str, Any]) -> None:
    missing = []
    for name, variations in _responses(domain):
        languages = {_variation_language(v) for v in variations}
        # The unconditioned variation is the English default (the slot starts empty).
        has_english = "en" in languages or None in languages
        if "nl" not in languages or not has_english:
            missing.append(name)
    assert missing == []


def test_every_variation_has_text(domain: dict[str, Any]) -> None:
    empty = [name for name, variations in _responses(domain) for v in variations
             if not str(v.get("text") or "").strip()]
    assert empty == []


def test_buttons_exist_in_both_languages(domain: dict[str, Any]) -> None:
    """Each language variation offers the same buttons (same payloads), each with a title."""
    mismatched = []
    for name, variations in _responses(domain):
        payloads = {
            _variation_language(v): [b.get("payload") for b in v.get("buttons") or []]
            for v in variations
        }
        if len({tuple(p) for p in payloads.values()}) > 1:
            mismatched.append(name)
        for v in variations:
            if any(not str(b.get("title") or "").strip() for b in v.get("buttons") or []):
                mismatched.append(name)
    assert mismatched == []


def test_template_variables_match_between_languages(domain: dict[str, Any]) -> None:
    """A {placeholder} filled by an action must appear in both languages."""
    import re

    mismatched = []
    for name, variations in _responses(domain):
        fields = {frozenset(re.findall(r"{(\w+)}", str(v.get("text") or ""))) for v in variations}
        if len(fields) > 1:
            mismatched.append(name)
    assert mismatched == []


def test_clarification_buttons_exist_in_both_languages() -> None:
    customer_intents = set(names.CUSTOMER_INTENTS) - {names.INTENT_OUT_OF_SCOPE}
    assert set(INTENT_LABELS) == customer_intents
    for labels in [*INTENT_LABELS.values(), NEITHER_LABEL]:
        assert set(labels) == set(names.LANGUAGES)
        assert all(label.strip() for label in labels.values())
    assert INTENT_LABELS["return_start"]["nl"] != INTENT_LABELS["return_start"]["en"]
