"""Scores: macro-F1 and rejection rate, and reading the evaluation sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.evaluation import score_intents
from training.evaluation_sets import (
    Benchmark,
    load_benchmarks,
    load_heldout,
    macro_f1,
    rejection_rate,
)


def test_macro_f1_by_hand() -> None:
    gold = ["a", "a", "b", "b", "c"]
    predicted = ["a", "b", "b", "b", "nlu_fallback"]
    # a: p=1 r=.5 f=.667; b: p=.667 r=1 f=.8; c: 0; nlu_fallback: 0 -> mean over 4 labels
    assert macro_f1(gold, predicted) == pytest.approx((2 / 3 + 0.8) / 4)
    scores = {s.intent: s for s in score_intents(gold, predicted)}
    assert scores["b"].support == 2 and scores["nlu_fallback"].support == 0


def test_perfect_and_empty() -> None:
    assert macro_f1(["x", "y"], ["x", "y"]) == 1.0
    assert macro_f1([], []) == 0.0


def test_rejection_rate_counts_out_of_scope_and_fallback() -> None:
    assert rejection_rate(["out_of_scope", "nlu_fallback", "greet", "product_price"]) == 0.5
    assert rejection_rate([]) == 0.0


def test_heldout_language_from_folder_or_name(tmp_path: Path) -> None:
    (tmp_path / "nl").mkdir()
    (tmp_path / "nl" / "products.yml").write_text(
        "nlu:\n- intent: product_price\n  examples: |\n    - wat kost de [Noor blazer](product)\n",
        encoding="utf-8",
    )
    (tmp_path / "test_nlu_en.yml").write_text(
        "nlu:\n- intent: greet\n  examples: |\n    - hello\n    - hi\n", encoding="utf-8"
    )
    (tmp_path / "stories.yml").write_text("stories: []\n", encoding="utf-8")
    sets = load_heldout(tmp_path)
    assert [(e.text, e.intent) for e in sets["nl"]] == [
        ("wat kost de Noor blazer", "product_price")
    ]
    assert [(e.text, e.intent) for e in sets["en"]] == [("hello", "greet"), ("hi", "greet")]


def test_benchmarks_txt_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a_test_en.txt").write_text("one\n\ntwo\n", encoding="utf-8")
    (tmp_path / "b_valid_nl.jsonl").write_text(
        json.dumps({"text": "drie", "source_intent": "x"}) + "\n", encoding="utf-8"
    )
    (tmp_path / "README.md").write_text("no", encoding="utf-8")
    assert load_benchmarks(tmp_path) == {
        "a_test_en": Benchmark("a_test_en", "en", ["one", "two"]),
        "b_valid_nl": Benchmark("b_valid_nl", "nl", ["drie"]),
    }


def test_shared_benchmarks_are_found() -> None:
    shared = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "out_of_scope"
    if not shared.is_dir():
        pytest.skip("shared/ is not beside this checkout")
    sizes = {name: (b.language, len(b.sentences)) for name, b in load_benchmarks(shared).items()}
    assert sizes["clinc150_oos_test_en"] == ("en", 1000)
    assert sizes["xsid_valid_nl"] == ("nl", 300)
    assert len(sizes) == 6
