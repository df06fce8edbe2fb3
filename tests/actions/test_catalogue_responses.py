"""Every response the catalogue actions utter exists in domain.yml in Dutch and English."""

from __future__ import annotations

import re
from types import ModuleType

import pytest

from actions import catalogue_access, events, forms, orders, products, returns
from tests.actions.catalogue_helpers import domain

MODULES = [catalogue_access, events, forms, orders, products, returns]


def _uttered(module: ModuleType) -> dict[str, str]:
    return {
        name: value
        for name, value in vars(module).items()
        if name.startswith("UTTER_") and isinstance(value, str)
    }


def _languages(variations: list[dict[str, object]]) -> dict[str, str]:
    found = {}
    for variation in variations:
        conditions = variation.get("condition") or []
        assert isinstance(conditions, list)
        language = next((str(c["value"]) for c in conditions if c.get("name") == "language"), "en")
        found[language] = str(variation["text"])
    return found


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_uttered_responses_are_bilingual(module: ModuleType) -> None:
    responses = domain()["responses"]
    for constant, response in _uttered(module).items():
        assert response in responses, constant
        texts = _languages(responses[response])
        assert set(texts) == {"nl", "en"}, response
        fields = {language: set(re.findall(r"{(\w+)}", text)) for language, text in texts.items()}
        assert fields["nl"] == fields["en"], response


def test_every_form_slot_is_asked_in_both_languages() -> None:
    loaded = domain()
    for form in ("return_start_form", "order_lookup_form", "event_signup_form"):
        for slot in loaded["forms"][form]["required_slots"]:
            texts = _languages(loaded["responses"][f"utter_ask_{slot}"])
            assert set(texts) == {"nl", "en"}, slot


def test_places_question_names_the_limit_the_form_enforces() -> None:
    texts = _languages(domain()["responses"]["utter_ask_places"])
    assert f"1 tot {events.MAX_PLACES}" in texts["nl"]
    assert f"1 to {events.MAX_PLACES}" in texts["en"]


def test_dutch_speaks_informally() -> None:
    responses = domain()["responses"]
    for module in MODULES:
        for response in _uttered(module).values():
            dutch = _languages(responses[response])["nl"]
            assert not re.search(r"\b(u|uw)\b", dutch), response
