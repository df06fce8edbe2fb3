"""Scores of a model: macro-F1 per language on held-out examples, rejection rate per benchmark."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from training.markup import parse_markup
from training.nlu_files import read_nlu_source
from training.paths import LANGUAGES

# Predictions that mean "the assistant declines": the right outcome for benchmark sentences.
REJECTION_INTENTS = frozenset({"out_of_scope", "nlu_fallback"})


class IntentScore(BaseModel):
    """Precision, recall and F1 of one intent."""

    intent: str
    precision: float
    recall: float
    f1: float
    support: int


class LanguageScore(BaseModel):
    """How well a model recognises the held-out examples of one language."""

    language: str
    examples: int
    accuracy: float
    macro_f1: float
    intents: list[IntentScore]
    errors: list[tuple[str, str, str]] = []  # (text, expected, predicted), first few only


class BenchmarkScore(BaseModel):
    """How many sentences of one out-of-scope benchmark a model declines."""

    name: str
    language: str
    sentences: int
    rejected: int
    rejection_rate: float


class Evaluation(BaseModel):
    """Every score of one model on one version of the evaluation sets."""

    testset_fingerprint: str
    languages: dict[str, LanguageScore]
    benchmarks: dict[str, BenchmarkScore]


@dataclass(frozen=True)
class LabelledText:
    """A sentence with the intent it should get."""

    text: str
    intent: str


@dataclass(frozen=True)
class EvaluationSets:
    """The held-out examples per language and the out-of-scope benchmarks, read from disk."""

    heldout: dict[str, list[LabelledText]]
    benchmarks: dict[str, tuple[str, list[str]]]  # name -> (language, sentences)

    @property
    def fingerprint(self) -> str:
        """Changes whenever a sentence or label does."""
        digest = hashlib.sha256()
        payload = {
            "heldout": {
                k: [(e.text, e.intent) for e in v] for k, v in sorted(self.heldout.items())
            },
            "benchmarks": {k: v for k, v in sorted(self.benchmarks.items())},
        }
        digest.update(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode())
        return digest.hexdigest()[:16]

    @property
    def size(self) -> int:
        """Sentences to parse for one evaluation."""
        return sum(map(len, self.heldout.values())) + sum(
            len(sentences) for _, sentences in self.benchmarks.values()
        )


def _language_of(path: Path, root: Path) -> str | None:
    """`nl`/`en` from a folder name (tests/nlu/nl/...) or a name part (test_nlu_nl.yml)."""
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
        language = _language_of(path, directory)
        if language is None:
            continue
        examples = read_nlu_source(path.read_text(encoding="utf-8"), path, language)
        for example in examples:
            plain, _ = parse_markup(example.text)
            sets.setdefault(language, []).append(LabelledText(plain, example.intent))
    return sets


def load_benchmarks(directory: Path) -> dict[str, tuple[str, list[str]]]:
    """Out-of-scope sentences per benchmark file (`.txt` lines or `.jsonl` with `text`)."""
    benchmarks: dict[str, tuple[str, list[str]]] = {}
    if not directory.is_dir():
        return benchmarks
    for path in sorted(directory.iterdir()):
        language = _language_of(path, directory)
        if language is None or path.suffix not in (".txt", ".jsonl"):
            continue
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
        if path.suffix == ".jsonl":
            sentences = [str(json.loads(line)["text"]) for line in lines if line]
        else:
            sentences = [line for line in lines if line]
        benchmarks[path.stem] = (language, sentences)
    return benchmarks


def load_evaluation_sets(heldout_dir: Path, benchmarks_dir: Path) -> EvaluationSets:
    """Both kinds of evaluation data."""
    return EvaluationSets(load_heldout(heldout_dir), load_benchmarks(benchmarks_dir))


def score_intents(gold: Sequence[str], predicted: Sequence[str]) -> list[IntentScore]:
    """Per-intent scores over the union of expected and predicted labels (as sklearn does)."""
    labels = sorted(set(gold) | set(predicted))
    scores: list[IntentScore] = []
    for label in labels:
        true_pos = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        predicted_pos = sum(p == label for p in predicted)
        support = sum(g == label for g in gold)
        precision = true_pos / predicted_pos if predicted_pos else 0.0
        recall = true_pos / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(
            IntentScore(intent=label, precision=precision, recall=recall, f1=f1, support=support)
        )
    return scores


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Unweighted mean F1 over every label that was expected or predicted."""
    scores = score_intents(gold, predicted)
    return sum(score.f1 for score in scores) / len(scores) if scores else 0.0


def language_score(
    language: str, examples: Sequence[LabelledText], predicted: Sequence[str]
) -> LanguageScore:
    """Scores of one language's held-out examples."""
    gold = [example.intent for example in examples]
    intents = score_intents(gold, predicted)
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    errors = [
        (example.text, example.intent, guess)
        for example, guess in zip(examples, predicted, strict=True)
        if example.intent != guess
    ]
    return LanguageScore(
        language=language,
        examples=len(gold),
        accuracy=correct / len(gold) if gold else 0.0,
        macro_f1=sum(s.f1 for s in intents) / len(intents) if intents else 0.0,
        intents=intents,
        errors=errors[:20],
    )


def rejection_rate(predicted: Sequence[str]) -> float:
    """Share of predictions that decline (`out_of_scope` or `nlu_fallback`)."""
    if not predicted:
        return 0.0
    return sum(intent in REJECTION_INTENTS for intent in predicted) / len(predicted)


def benchmark_score(name: str, language: str, predicted: Sequence[str]) -> BenchmarkScore:
    """Scores of one benchmark file."""
    rejected = sum(intent in REJECTION_INTENTS for intent in predicted)
    return BenchmarkScore(
        name=name,
        language=language,
        sentences=len(predicted),
        rejected=rejected,
        rejection_rate=rejection_rate(predicted),
    )
