"""NLU evaluation report (`make eval-nlu`): run with `.venv-rasa/bin/python scripts/eval_nlu.py`.

Trains an NLU model from data/nlu (unless --model is given), parses the held-out split
in tests/nlu/{en,nl}/ and the out-of-scope benchmarks in ../shared/benchmarks/, and writes
reports/nlu/report.json plus a confusion matrix PNG per language:
intent macro-F1 and per-intent F1, entity F1, language-detection accuracy, the share of
in-scope messages that fall back, and the rejection rate per benchmark file.

`--tune` picks the FallbackClassifier thresholds on the *_val*/*_valid* benchmark files and
the dev split only: among the settings that reject --target of every validation file, the
one with the fewest in-scope fallbacks on dev. Test files are only ever reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the pipeline's custom components live in bot/

# The gate's own sets and formulas, so this report and the promotion gate never disagree.
from training.evaluation_sets import (  # noqa: E402
    f1_by_intent,
    load_benchmarks,
    load_heldout,
    macro_f1,
)
from training.evaluation_sets import rejection_rate as declined_share  # noqa: E402

LANGUAGES = ("en", "nl")
# tests/nlu/<lang>/: dev.yml is read while improving the data and used for tuning;
# test.yml is the untouched held-out split the headline numbers come from.
DEV_FILE = "dev.yml"
TEST_FILE = "test.yml"
# tests/nlu/<lang>/faq_test.yml: held-out general shop questions, one block per FAQ topic.
FAQ_FILE = "faq_test.yml"
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"


@dataclass
class Parsed:
    """One parsed message: the model's ranking without the fallback, and its entities."""

    text: str
    ranking: list[tuple[str, float]]
    entities: list[dict[str, Any]]
    language: str | None
    # The ResponseSelector's full answer per retrieval intent: {"faq": "faq/gift_cards"}.
    retrieval: dict[str, str] = field(default_factory=dict)

    def intent(self, threshold: float, ambiguity: float) -> str:
        """The final intent as the FallbackClassifier with these thresholds would give it.

        A retrieval intent is named with its topic (faq/gift_cards), as the held-out files
        label it, so a wrong topic counts as a wrong intent.
        """
        if not self.ranking:
            return FALLBACK
        top_name, top = self.ranking[0]
        second = self.ranking[1][1] if len(self.ranking) > 1 else 0.0
        if top < threshold or top - second < ambiguity:
            return FALLBACK
        return self.retrieval.get(top_name, top_name)


@dataclass
class Example:
    """A held-out message with its true intent and entities."""

    text: str
    intent: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    source: str = ""


def _fallback_settings(config_path: Path) -> tuple[float, float]:
    from ruamel.yaml import YAML

    config = YAML(typ="safe").load(config_path.read_text("utf-8"))
    for component in config.get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3)), float(
                component.get("ambiguity_threshold", 0.1)
            )
    return 0.0, 0.0


def load_held_out(directory: Path) -> dict[str, list[Example]]:
    """The held-out examples per language, read exactly as the promotion gate reads them."""
    return {
        language: [
            Example(
                text=e.text,
                intent=e.intent,
                entities=[{"entity": name, "value": value} for name, value in e.entities],
                source=e.source,
            )
            for e in examples
        ]
        for language, examples in load_heldout(directory).items()
    }


def train(config: Path, output: Path) -> tuple[Path, float]:
    """Train an NLU-only model; return its path and the training time in seconds."""
    from rasa.model_training import train_nlu

    started = time.perf_counter()
    model = train_nlu(
        config=str(config),
        nlu_data=str(ROOT / "data" / "nlu"),
        output=str(output),
        fixed_model_name="eval",
        domain=str(ROOT / "domain.yml"),
    )
    elapsed = time.perf_counter() - started
    if model is None:
        raise SystemExit("NLU training produced no model; see the messages above.")
    return Path(model), elapsed


async def parse_all(model: Path, texts: Sequence[str]) -> list[Parsed]:
    """Parse every text with the model."""
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    parsed: list[Parsed] = []
    for text in texts:
        result = await agent.parse_message(text)
        ranking = [
            (item["name"], float(item["confidence"]))
            for item in result.get("intent_ranking") or []
            if item["name"] != FALLBACK
        ]
        detection = result.get("language_detection") or {}
        selectors = result.get("response_selector") or {}
        retrieval = {
            name: str(selector["response"]["intent_response_key"])
            for name, selector in selectors.items()
            if name != "all_retrieval_intents"
            and (selector.get("response") or {}).get("intent_response_key")
        }
        parsed.append(
            Parsed(
                text=text,
                ranking=ranking,
                entities=[
                    {"entity": e["entity"], "value": str(e["value"])}
                    for e in result.get("entities") or []
                ],
                language=detection.get("code"),
                retrieval=retrieval,
            )
        )
    return parsed


def entity_scores(examples: Sequence[Example], parsed: Sequence[Parsed]) -> dict[str, float]:
    """Micro precision/recall/F1 over (entity, normalised value) pairs per message."""
    true_positive = predicted_total = true_total = 0
    for example, result in zip(examples, parsed, strict=False):
        expected = {(e["entity"], e["value"].lower()) for e in example.entities}
        got = {(e["entity"], e["value"].lower()) for e in result.entities}
        true_positive += len(expected & got)
        predicted_total += len(got)
        true_total += len(expected)
    precision = true_positive / predicted_total if predicted_total else 0.0
    recall = true_positive / true_total if true_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "support": true_total}


def plot_confusion(labels: list[str], truth: list[str], predicted: list[str], path: Path,
                   title: str) -> None:
    """Write a confusion matrix PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay, confusion_matrix

    matrix = confusion_matrix(truth, predicted, labels=labels)
    figure, axes = plt.subplots(figsize=(14, 12))
    ConfusionMatrixDisplay(matrix, display_labels=labels).plot(
        ax=axes, xticks_rotation="vertical", colorbar=False, cmap="Blues"
    )
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def split_report(examples: Sequence[Example], parsed: Sequence[Parsed], language: str,
                 threshold: float, ambiguity: float, plot: Path | None) -> dict[str, Any]:
    """Intent, entity, fallback and language-detection numbers for one split of one language."""
    truth = [e.intent for e in examples]
    predicted = [p.intent(threshold, ambiguity) for p in parsed]
    labels = sorted(set(truth))
    detected = [p.language for p in parsed]
    if plot is not None:
        plot_confusion([*labels, FALLBACK], truth, predicted, plot,
                       f"Held-out test split ({language}): threshold {threshold}, "
                       f"ambiguity {ambiguity}")
    return {
        "examples": len(examples),
        "intent_macro_f1": round(macro_f1(truth, predicted), 4),
        "intent_accuracy": round(
            sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth), 4
        ),
        "per_intent_f1": {score.intent: round(score.f1, 4)
                          for score in f1_by_intent(truth, predicted)},
        "entity": entity_scores(examples, parsed),
        "in_scope_fallback_rate": in_scope_fallback_rate(examples, parsed, threshold, ambiguity),
        "language_detection_accuracy": round(
            sum(code == language for code in detected) / len(detected), 4
        ),
        "language_detection_errors": [
            {"text": p.text, "detected": p.language} for p in parsed if p.language != language
        ],
        "errors": [
            {"text": e.text, "expected": e.intent, "predicted": predicted[i]}
            for i, e in enumerate(examples) if predicted[i] != e.intent
        ],
    }


def topic_report(examples: Sequence[Example], parsed: Sequence[Parsed], threshold: float,
                 ambiguity: float) -> dict[str, Any]:
    """Held-out FAQ questions: the share answered with the right topic, overall and per topic."""
    truth = [e.intent for e in examples]
    predicted = [p.intent(threshold, ambiguity) for p in parsed]
    per_topic: dict[str, list[bool]] = {}
    for expected, got in zip(truth, predicted, strict=True):
        per_topic.setdefault(expected, []).append(expected == got)
    return {
        "examples": len(examples),
        "topic_accuracy": round(sum(t == p for t, p in zip(truth, predicted, strict=True))
                                / max(len(truth), 1), 4),
        "per_topic_accuracy": {topic: round(sum(hits) / len(hits), 4)
                               for topic, hits in sorted(per_topic.items())},
        "errors": [
            {"text": e.text, "expected": e.intent, "predicted": predicted[i]}
            for i, e in enumerate(examples) if predicted[i] != e.intent
        ],
    }


def in_scope_fallback_rate(examples: Sequence[Example], parsed: Sequence[Parsed],
                           threshold: float, ambiguity: float) -> float:
    """Share of in-scope messages that end as out_of_scope or nlu_fallback."""
    rows = [p for e, p in zip(examples, parsed, strict=True) if e.intent != OUT_OF_SCOPE]
    return rejection_rate(rows, threshold, ambiguity)


def rejection_rate(parsed: Iterable[Parsed], threshold: float, ambiguity: float) -> float:
    """Share of sentences ending as out_of_scope or nlu_fallback."""
    return round(declined_share([p.intent(threshold, ambiguity) for p in parsed]), 4)


def tune(validation: dict[str, list[Parsed]], dev: list[tuple[Example, Parsed]],
         target: float) -> tuple[float, float] | None:
    """Thresholds rejecting `target` of every validation file with the fewest dev fallbacks."""
    best: tuple[float, float, float, float] | None = None
    examples = [e for e, _ in dev]
    parsed = [p for _, p in dev]
    for ambiguity in (0.0, 0.02, 0.05, 0.08, 0.1):
        for step in range(20, 96):
            threshold = step / 100
            rates = [rejection_rate(p, threshold, ambiguity) for p in validation.values()]
            if min(rates, default=0.0) < target:
                continue
            fallback = in_scope_fallback_rate(examples, parsed, threshold, ambiguity)
            candidate = (fallback, -min(rates), threshold, ambiguity)
            if best is None or candidate < best:
                best = candidate
            break  # higher thresholds only add fallbacks at this ambiguity
    return (best[2], best[3]) if best else None


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml")
    parser.add_argument("--model", type=Path, help="evaluate this model instead of training")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "nlu")
    parser.add_argument("--heldout", type=Path, default=ROOT / "tests" / "nlu")
    parser.add_argument("--benchmarks", type=Path,
                        default=ROOT.parent / "shared" / "benchmarks" / "out_of_scope")
    parser.add_argument("--tune", action="store_true",
                        help="pick the fallback thresholds on the val/valid benchmark files "
                             "and the dev split (never on test files)")
    parser.add_argument("--target", type=float, default=0.90)
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Keep parsed sentences out of the log: only warnings and the summary are printed.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    args.out.mkdir(parents=True, exist_ok=True)
    threshold, ambiguity = _fallback_settings(args.config)

    training_seconds: float | None = None
    held_out = load_held_out(args.heldout)
    for language in LANGUAGES:
        held_out.setdefault(language, [])
    benchmarks = load_benchmarks(args.benchmarks)
    texts: list[str] = [e.text for language in LANGUAGES for e in held_out[language]]
    for benchmark in benchmarks.values():
        texts.extend(benchmark.sentences)
    with tempfile.TemporaryDirectory() as scratch:
        model = args.model
        if model is None:
            model, training_seconds = train(args.config, Path(scratch))
        started = time.perf_counter()
        parsed = asyncio.run(parse_all(model, texts))
        parse_seconds = time.perf_counter() - started

    cursor = 0
    parsed_held_out: dict[str, list[Parsed]] = {}
    for language in LANGUAGES:
        parsed_held_out[language] = parsed[cursor:cursor + len(held_out[language])]
        cursor += len(held_out[language])
    parsed_benchmarks: dict[str, list[Parsed]] = {}
    for name, benchmark in benchmarks.items():
        parsed_benchmarks[name] = parsed[cursor:cursor + len(benchmark.sentences)]
        cursor += len(benchmark.sentences)

    def split(language: str, source: str) -> tuple[list[Example], list[Parsed]]:
        rows = [i for i, e in enumerate(held_out[language]) if e.source == source]
        return ([held_out[language][i] for i in rows],
                [parsed_held_out[language][i] for i in rows])

    configured = (threshold, ambiguity)
    if args.tune:
        validation = {n: p for n, p in parsed_benchmarks.items() if benchmarks[n].validation}
        dev = [pair for language in LANGUAGES
               for pair in zip(*split(language, DEV_FILE), strict=True)]
        tuned = tune(validation, dev, args.target)
        if tuned is not None:
            threshold, ambiguity = tuned

    report: dict[str, Any] = {
        "config": str(args.config.relative_to(ROOT) if args.config.is_relative_to(ROOT)
                      else args.config),
        "training_seconds": round(training_seconds, 1) if training_seconds else None,
        "parse_ms_per_message": round(1000 * parse_seconds / max(len(texts), 1), 2),
        "fallback_threshold": threshold,
        "ambiguity_threshold": ambiguity,
        "configured": {"fallback_threshold": configured[0], "ambiguity_threshold": configured[1]},
        "tuned": args.tune,
        "languages": {
            language: {
                "test": split_report(*split(language, TEST_FILE), language, threshold,
                                     ambiguity, args.out / f"confusion_{language}.png"),
                "dev": split_report(*split(language, DEV_FILE), language, threshold,
                                    ambiguity, None),
                "faq": topic_report(*split(language, FAQ_FILE), threshold, ambiguity),
            }
            for language in LANGUAGES
        },
        "benchmarks": {
            name: {"language": benchmarks[name].language, "sentences": len(p),
                   "rejection_rate": rejection_rate(p, threshold, ambiguity),
                   "split": "validation" if benchmarks[name].validation else "test"}
            for name, p in parsed_benchmarks.items()
        },
    }
    # The trade-off, for the record; the thresholds are chosen on validation and dev only.
    report["threshold_sweep"] = [
        {
            "threshold": step / 100,
            "dev_in_scope_fallback_rate": rejection_rate(
                [p for language in LANGUAGES
                 for e, p in zip(*split(language, DEV_FILE), strict=True)
                 if e.intent != OUT_OF_SCOPE], step / 100, ambiguity),
            **{name: rejection_rate(p, step / 100, ambiguity)
               for name, p in parsed_benchmarks.items() if benchmarks[name].validation},
        }
        for step in range(30, 85, 5)
    ]
    (args.out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False),
                                          "utf-8")
    print(summary(report))
    return 0


def summary(report: dict[str, Any]) -> str:
    """A short human-readable summary of the report."""
    lines = [
        f"config {report['config']}  training {report['training_seconds']} s  "
        f"fallback threshold {report['fallback_threshold']}  "
        f"ambiguity {report['ambiguity_threshold']}  (tuned: {report['tuned']})",
    ]
    for language, splits in report["languages"].items():
        for name, numbers in splits.items():
            if "topic_accuracy" in numbers:
                if numbers["examples"]:
                    lines.append(f"  {language} {name}: n={numbers['examples']}"
                                 f"  topic accuracy {numbers['topic_accuracy']}")
                continue
            lines.append(
                f"  {language} {name}: n={numbers['examples']}"
                f"  intent macro-F1 {numbers['intent_macro_f1']}"
                f"  entity F1 {numbers['entity']['f1']}"
                f"  in-scope fallback {numbers['in_scope_fallback_rate']}"
                f"  language detection {numbers['language_detection_accuracy']}"
            )
    for name, numbers in report["benchmarks"].items():
        lines.append(f"  {name} ({numbers['split']}): rejection {numbers['rejection_rate']}")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
