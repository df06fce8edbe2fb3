"""The promotion gate: a candidate may not be worse than the model it replaces."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from training.evaluation import Evaluation

MAX_F1_DROP = 0.01
MAX_REJECTION_DROP = 0.02
# Scores are rounded sums of floats: a drop of exactly the allowance passes.
EPSILON = 1e-9


class GateCheck(BaseModel):
    """One compared score."""

    metric: Literal["macro_f1", "rejection_rate"]
    name: str  # language or benchmark
    baseline: float | None
    candidate: float | None
    allowed_drop: float
    passed: bool

    @property
    def drop(self) -> float | None:
        """How much worse the candidate is (negative: better)."""
        if self.baseline is None or self.candidate is None:
            return None
        return self.baseline - self.candidate

    def explain(self, language: str) -> str:
        """One sentence saying what was compared, in `nl` or `en`."""
        label = {
            ("macro_f1", "en"): f"macro-F1 ({self.name})",
            ("macro_f1", "nl"): f"macro-F1 ({self.name})",
            ("rejection_rate", "en"): f"rejection rate on {self.name}",
            ("rejection_rate", "nl"): f"afwijspercentage op {self.name}",
        }[(self.metric, "nl" if language == "nl" else "en")]
        if self.candidate is None:
            return (
                f"{label}: ontbreekt bij de kandidaat"
                if language == "nl"
                else f"{label}: missing for the candidate"
            )
        if self.baseline is None:
            return (
                f"{label}: {self.candidate:.3f} (nieuw)"
                if language == "nl"
                else (f"{label}: {self.candidate:.3f} (new)")
            )
        drop = self.baseline - self.candidate
        if language == "nl":
            verdict = "ok" if self.passed else f"daalt {drop:.4f}, max {self.allowed_drop:.2f}"
        else:
            verdict = "ok" if self.passed else f"drops {drop:.4f}, max {self.allowed_drop:.2f}"
        return f"{label}: {self.baseline:.3f} -> {self.candidate:.3f} ({verdict})"


class GateDecision(BaseModel):
    """Whether the candidate may be promoted, with every comparison behind it."""

    promote: bool
    baseline_model: str | None
    checks: list[GateCheck]

    def reasons(self, language: str) -> list[str]:
        """Why the candidate was refused (empty when it passed)."""
        return [check.explain(language) for check in self.checks if not check.passed]


def _check(
    metric: Literal["macro_f1", "rejection_rate"],
    name: str,
    baseline: float | None,
    candidate: float | None,
    allowed: float,
) -> GateCheck:
    if candidate is None:
        passed = baseline is None
    elif baseline is None:
        passed = True
    else:
        passed = baseline - candidate <= allowed + EPSILON
    return GateCheck(
        metric=metric,
        name=name,
        baseline=baseline,
        candidate=candidate,
        allowed_drop=allowed,
        passed=passed,
    )


def decide(
    candidate: Evaluation,
    baseline: Evaluation | None,
    baseline_model: str | None = None,
    max_f1_drop: float = MAX_F1_DROP,
    max_rejection_drop: float = MAX_REJECTION_DROP,
) -> GateDecision:
    """Promote only if no language's macro-F1 and no benchmark's rejection rate drops too far."""
    if baseline is not None and baseline.testset_fingerprint != candidate.testset_fingerprint:
        raise ValueError("both models must be scored on the same evaluation sets")
    checks: list[GateCheck] = []
    old_languages = baseline.languages if baseline else {}
    for language in sorted(set(candidate.languages) | set(old_languages)):
        old = old_languages.get(language)
        new = candidate.languages.get(language)
        checks.append(
            _check(
                "macro_f1",
                language,
                old.macro_f1 if old else None,
                new.macro_f1 if new else None,
                max_f1_drop,
            )
        )
    old_benchmarks = baseline.benchmarks if baseline else {}
    for name in sorted(set(candidate.benchmarks) | set(old_benchmarks)):
        old_b = old_benchmarks.get(name)
        new_b = candidate.benchmarks.get(name)
        checks.append(
            _check(
                "rejection_rate",
                name,
                old_b.rejection_rate if old_b else None,
                new_b.rejection_rate if new_b else None,
                max_rejection_drop,
            )
        )
    return GateDecision(
        promote=all(check.passed for check in checks),
        baseline_model=baseline_model,
        checks=checks,
    )
