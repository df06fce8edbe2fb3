"""The promotion gate as a pure function."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from training.evaluation import BenchmarkScore, Evaluation, LanguageScore
from training.gate import MAX_F1_DROP, MAX_REJECTION_DROP, decide


def evaluation(f1: dict[str, float], rejection: dict[str, float], key: str = "sets1") -> Evaluation:
    return Evaluation(
        testset_fingerprint=key,
        languages={
            language: LanguageScore(
                language=language, examples=10, accuracy=value, macro_f1=value, intents=[]
            )
            for language, value in f1.items()
        },
        benchmarks={
            name: BenchmarkScore(
                name=name,
                language=name[-2:],
                sentences=100,
                rejected=round(value * 100),
                rejection_rate=value,
            )
            for name, value in rejection.items()
        },
    )


BASE = evaluation({"en": 0.90, "nl": 0.88}, {"oos_en": 0.80, "oos_nl": 0.70})


def test_first_model_is_promoted() -> None:
    decision = decide(BASE, None)
    assert decision.promote
    assert decision.baseline_model is None
    assert decision.reasons("en") == []


def test_equal_or_better_is_promoted() -> None:
    better = evaluation({"en": 0.95, "nl": 0.88}, {"oos_en": 0.85, "oos_nl": 0.70})
    assert decide(BASE, BASE, "m1").promote
    assert decide(better, BASE, "m1").promote


def test_drops_at_the_limit_pass() -> None:
    at_limit = evaluation({"en": 0.89, "nl": 0.87}, {"oos_en": 0.78, "oos_nl": 0.68})
    assert decide(at_limit, BASE).promote


def test_macro_f1_drop_in_one_language_is_refused_with_reason() -> None:
    worse_nl = evaluation({"en": 0.95, "nl": 0.865}, {"oos_en": 0.80, "oos_nl": 0.70})
    decision = decide(worse_nl, BASE, "m1")
    assert not decision.promote
    assert [(c.metric, c.name) for c in decision.checks if not c.passed] == [("macro_f1", "nl")]
    assert decision.reasons("en") == ["macro-F1 (nl): 0.880 -> 0.865 (drops 0.0150, max 0.01)"]
    assert decision.reasons("nl") == ["macro-F1 (nl): 0.880 -> 0.865 (daalt 0.0150, max 0.01)"]


def test_rejection_rate_drop_is_refused_with_reason() -> None:
    accepts_more = evaluation({"en": 0.90, "nl": 0.88}, {"oos_en": 0.77, "oos_nl": 0.75})
    decision = decide(accepts_more, BASE, "m1")
    assert not decision.promote
    assert decision.reasons("en") == [
        "rejection rate on oos_en: 0.800 -> 0.770 (drops 0.0300, max 0.02)"
    ]
    assert decision.reasons("nl") == [
        "afwijspercentage op oos_en: 0.800 -> 0.770 (daalt 0.0300, max 0.02)"
    ]


def test_missing_scores_are_refused() -> None:
    no_dutch = evaluation({"en": 0.95}, {"oos_en": 0.90, "oos_nl": 0.90})
    decision = decide(no_dutch, BASE)
    assert not decision.promote
    assert decision.reasons("en") == ["macro-F1 (nl): missing for the candidate"]


def test_new_scores_do_not_block() -> None:
    more = evaluation({"en": 0.90, "nl": 0.88}, {"oos_en": 0.8, "oos_nl": 0.7, "oos_x_en": 0.1})
    assert decide(more, BASE).promote


def test_scores_on_different_sets_are_not_compared() -> None:
    with pytest.raises(ValueError, match="same evaluation sets"):
        decide(evaluation({"en": 1.0}, {}, key="sets2"), BASE)


score = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@given(en=score, nl=score, oos_en=score, oos_nl=score)
def test_promoted_exactly_when_no_drop_exceeds_its_limit(
    en: float, nl: float, oos_en: float, oos_nl: float
) -> None:
    candidate = evaluation({"en": en, "nl": nl}, {"oos_en": oos_en, "oos_nl": oos_nl})
    expected = (
        0.90 - en <= MAX_F1_DROP + 1e-9
        and 0.88 - nl <= MAX_F1_DROP + 1e-9
        and 0.80 - oos_en <= MAX_REJECTION_DROP + 1e-9
        and 0.70 - oos_nl <= MAX_REJECTION_DROP + 1e-9
    )
    assert decide(candidate, BASE).promote is expected
