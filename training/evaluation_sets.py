"""The evaluation sets and the scores computed on them, shared by `make eval-nlu` and the gate.

scripts/eval_nlu.py runs in the Rasa environment (Python 3.10), the promotion gate in the
trainer's; both read the held-out examples and the out-of-scope benchmarks here, so they
always score the same sentences under the same names. Standard library and ruamel only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from training.markup import parse_markup
from training.nlu_files import read_nlu_source
from training.paths import LANGUAGES

# Predictions that mean "the assistant declines": the right outcome for benchmark sentences.
REJECTION_INTENTS = frozenset({"out_of_scope", "nlu_fallback"})
BENCHMARK_SUFFIXES = (".txt", ".jsonl")


@dataclass(frozen=True)
class LabelledText:
    """A held-out sentence with the intent and entities it should get."""

    text: str
    intent: str
    entities: tuple[tuple[str, str], ...] = ()  # (entity, value as Rasa stores it)
    source: str = ""  # the file's name: dev.yml, test.yml, ...


@dataclass(frozen=True)
class Benchmark:
    """One out-of-scope benchmark file: every sentence should be declined."""

    name: str  # the file's stem: xsid_test_nl
    language: str
    sentences: list[str]

    @property
    def validation(self) -> bool:
        """Validation files may tune thresholds; the others are only ever reported."""
        return "_val" in self.name


@dataclass(frozen=True)
class EvaluationSets:
    """The held-out examples per language and the out-of-scope benchmarks, read from disk."""

    heldout: dict[str, list[LabelledText]]
    benchmarks: dict[str, Benchmark] = field(default_factory=dict)

    @property
    def fingerprint(self) -> str:
        """Changes whenever a sentence or label does."""
        digest = hashlib.sha256()
        payload = {
            "heldout": {
                k: [(e.text, e.intent) for e in v] for k, v in sorted(self.heldout.items())
            },
            "benchmarks": {
                name: (b.language, b.sentences) for name, b in sorted(self.benchmarks.items())
            },
        }
        digest.update(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode())
        return digest.hexdigest()[:16]

    @property
    def size(self) -> int:
        """Sentences to parse for one evaluation."""
        return sum(map(len, self.heldout.values())) + sum(
            len(b.sentences) for b in self.benchmarks.values()
        )


def language_of(path: Path, root: Path) -> str | None:
    """`nl`/`en` from a folder name (tests/nlu/nl/...) or a name part (xsid_test_nl.jsonl)."""
    for part in path.relative_to(root).parts[:-1]:
        if part in LANGUAGES:
            return part
    tokens = path.stem.replace("-", "_").split("_")
    found = [token for token in tokens if token in LANGUAGES]
    return found[-1] if found else None


def load_heldout(directory: Path) -> dict[str, list[LabelledText]]:
    """Held-out NLU examples per language from Rasa YAML files under `directory`."""
    sets: dict[str, list[LabelledText]] = {}
    if not directory.is_dir():
        return sets
    for path in sorted([*directory.rglob("*.yml"), *directory.rglob("*.yaml")]):
        language = language_of(path, directory)
        if language is None:
            continue
        for example in read_nlu_source(path.read_text(encoding="utf-8"), path, language):
            plain, marked = parse_markup(example.text)
            entities = tuple((e.entity, e.synonym or e.value) for e in marked)
            sets.setdefault(language, []).append(
                LabelledText(plain, example.intent, entities, path.name)
            )
    return sets


def load_benchmarks(directory: Path) -> dict[str, Benchmark]:
    """Out-of-scope sentences per file (`.txt` lines or `.jsonl` with `text`), keyed by stem.

    A file whose name names no language is skipped rather than guessed.
    """
    benchmarks: dict[str, Benchmark] = {}
    if not directory.is_dir():
        return benchmarks
    for path in sorted(directory.iterdir()):
        language = language_of(path, directory)
        if language is None or path.suffix not in BENCHMARK_SUFFIXES:
            continue
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        if path.suffix == ".jsonl":
            sentences = [str(json.loads(line)["text"]) for line in lines if line]
        else:
            sentences = [line for line in lines if line]
        benchmarks[path.stem] = Benchmark(path.stem, language, sentences)
    return benchmarks


def load_evaluation_sets(heldout_dir: Path, benchmarks_dir: Path) -> EvaluationSets:
    """Both kinds of evaluation data."""
    return EvaluationSets(load_heldout(heldout_dir), load_benchmarks(benchmarks_dir))


@dataclass(frozen=True)
class IntentF1:
    """Precision, recall and F1 of one intent."""

    intent: str
    precision: float
    recall: float
    f1: float
    support: int


def f1_by_intent(gold: Sequence[str], predicted: Sequence[str]) -> list[IntentF1]:
    """Per-intent scores over the union of expected and predicted labels (as sklearn does)."""
    labels = sorted(set(gold) | set(predicted))
    scores: list[IntentF1] = []
    for label in labels:
        true_pos = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        predicted_pos = sum(p == label for p in predicted)
        support = sum(g == label for g in gold)
        precision = true_pos / predicted_pos if predicted_pos else 0.0
        recall = true_pos / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(IntentF1(label, precision, recall, f1, support))
    return scores


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Unweighted mean F1 over every label that was expected or predicted."""
    scores = f1_by_intent(gold, predicted)
    return sum(score.f1 for score in scores) / len(scores) if scores else 0.0


def rejection_rate(predicted: Sequence[str]) -> float:
    """Share of predictions that decline (`out_of_scope` or `nlu_fallback`)."""
    if not predicted:
        return 0.0
    return sum(intent in REJECTION_INTENTS for intent in predicted) / len(predicted)
