"""The intents and entities a trainer may use, read from the Rasa domain."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

# Predicted by the FallbackClassifier or sent by the inbox: never typed by a customer.
UNTRAINABLE_INTENTS = frozenset({"nlu_fallback"})
UNTRAINABLE_PREFIX = "EXTERNAL_"
# Filled by the inbox through trigger_intent (an agent's reply), never marked in examples.
UNTRAINABLE_ENTITIES = frozenset({"agent_message"})


@dataclass(frozen=True)
class DomainNames:
    """Intent and entity names of a domain."""

    intents: frozenset[str]
    entities: frozenset[str]
    # Retrieval intents (faq): examples name one of their topics (faq/gift_cards) instead.
    retrieval_intents: frozenset[str] = frozenset()

    @property
    def trainable_entities(self) -> frozenset[str]:
        """Entities a trainer may mark in examples."""
        return self.entities - UNTRAINABLE_ENTITIES

    @property
    def trainable_intents(self) -> frozenset[str]:
        """Intents that take examples in data/nlu."""
        return frozenset(
            name
            for name in self.intents
            if name not in UNTRAINABLE_INTENTS
            and not name.startswith(UNTRAINABLE_PREFIX)
            and name not in self.retrieval_intents
        )


def _names(entries: Any) -> frozenset[str]:
    names: set[str] = set()
    for entry in entries or []:
        if isinstance(entry, str):
            names.add(entry)
        elif isinstance(entry, dict):
            names.update(str(key) for key in entry)
    return frozenset(names)


def load_domain(path: Path) -> DomainNames:
    """Read intent and entity names from a domain file (list or mapping entries)."""
    data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) or {}
    intents = _names(data.get("intents"))
    # A response `utter_faq/gift_cards` makes `faq/gift_cards` a topic of the retrieval intent.
    topics = {
        str(name).removeprefix("utter_")
        for name in data.get("responses") or {}
        if "/" in str(name) and str(name).removeprefix("utter_").split("/")[0] in intents
    }
    return DomainNames(
        intents=intents | topics,
        entities=_names(data.get("entities")),
        retrieval_intents=frozenset(topic.split("/")[0] for topic in topics),
    )
