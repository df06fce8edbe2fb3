"""Scores of a model as the registry keeps them (the sets and formulas: evaluation_sets.py)."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from training.evaluation_sets import (
    REJECTION_INTENTS,
    LabelledText,
    f1_by_intent,
    rejection_rate,
)


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


def score_intents(gold: Sequence[str], predicted: Sequence[str]) -> list[IntentScore]:
    """Per-intent scores over the union of expected and predicted labels (as sklearn does)."""
    return [
        IntentScore(
            intent=s.intent, precision=s.precision, recall=s.recall, f1=s.f1, support=s.support
        )
        for s in f1_by_intent(gold, predicted)
    ]


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
