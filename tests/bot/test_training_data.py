"""The NLU training data: enough bilingual examples, no leaks from the evaluation sets."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from actions.domain_names import CUSTOMER_INTENTS, LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ROOT.parent / "shared" / "benchmarks" / "out_of_scope"
MIN_EXAMPLES = 25
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def plain(text: str) -> str:
    """Example text without entity markup, lower-cased, without punctuation and spacing noise."""
    text = _ANNOTATION.sub(r"\1", text)
    return " ".join(re.findall(r"\w+", text.lower()))


def examples(directory: Path) -> dict[str, list[str]]:
    by_intent: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.yml")):
        data = YAML(typ="safe").load(path.read_text("utf-8"))
        for block in data.get("nlu") or []:
            if "intent" in block:
                lines = [line[2:].strip() for line in block["examples"].splitlines()
                         if line.strip().startswith("- ")]
                by_intent.setdefault(block["intent"], []).extend(lines)
    return by_intent


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_intent_has_enough_examples(language: str) -> None:
    counts = {intent: len(texts) for intent, texts in
              examples(ROOT / "data" / "nlu" / language).items()}
    too_few = {intent: counts.get(intent, 0) for intent in CUSTOMER_INTENTS
               if counts.get(intent, 0) < MIN_EXAMPLES}
    assert too_few == {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_duplicate_training_examples(language: str) -> None:
    texts = [t.lower() for ts in examples(ROOT / "data" / "nlu" / language).values() for t in ts]
    assert [t for t, n in Counter(texts).items() if n > 1] == []


def _training_texts() -> set[str]:
    return {plain(t) for language in LANGUAGES
            for ts in examples(ROOT / "data" / "nlu" / language).values() for t in ts}


def test_held_out_split_is_not_in_training_data() -> None:
    training = _training_texts()
    held_out = {plain(t) for language in LANGUAGES
                for ts in examples(ROOT / "tests" / "nlu" / language).values() for t in ts}
    assert len(held_out) > 300
    assert sorted(held_out & training) == []


@pytest.mark.skipif(not BENCHMARKS.is_dir(), reason="benchmarks live next to the repository")
def test_no_benchmark_sentence_is_in_training_data() -> None:
    benchmark: set[str] = set()
    for path in BENCHMARKS.iterdir():
        if path.suffix == ".txt":
            benchmark |= {plain(line) for line in path.read_text("utf-8").splitlines()}
        elif path.suffix == ".jsonl":
            benchmark |= {plain(json.loads(line)["text"])
                          for line in path.read_text("utf-8").splitlines() if line.strip()}
    assert sorted(_training_texts() & benchmark) == []
