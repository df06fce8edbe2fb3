"""`make eval-nlu` and the promotion gate read the same evaluation sets under the same names."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from scripts import eval_nlu
from training.evaluation_sets import load_evaluation_sets

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


def _sets(tmp_path: Path) -> tuple[Path, Path]:
    heldout = tmp_path / "nlu"
    (heldout / "nl").mkdir(parents=True)
    (heldout / "nl" / "test.yml").write_text(
        "nlu:\n- intent: product_search\n  examples: |\n"
        "    - heb je [jassen](category:coats)\n    - toon [jurken](category:dresses)\n",
        encoding="utf-8",
    )
    (heldout / "en").mkdir()
    (heldout / "en" / "dev.yml").write_text(
        "nlu:\n- intent: greet\n  examples: |\n    - hello\n", encoding="utf-8"
    )
    benchmarks = tmp_path / "out_of_scope"
    benchmarks.mkdir()
    (benchmarks / "clinc150_oos_val_en.txt").write_text("book a flight\n\n", encoding="utf-8")
    (benchmarks / "xsid_test_nl.jsonl").write_text(
        json.dumps({"text": "zet een wekker"}) + "\n", encoding="utf-8"
    )
    # The language is a name part but not the last one: Dutch, not English.
    (benchmarks / "nl_weather_test.txt").write_text("wordt het morgen warm\n", encoding="utf-8")
    # No language in the name: neither reader may guess one.
    (benchmarks / "scratch.txt").write_text("what is this\n", encoding="utf-8")
    (benchmarks / "README.md").write_text("not a benchmark\n", encoding="utf-8")
    return heldout, benchmarks


def test_report_and_gate_score_the_same_benchmarks(tmp_path: Path) -> None:
    heldout, benchmarks = _sets(tmp_path)
    gate = load_evaluation_sets(heldout, benchmarks)
    report = eval_nlu.load_benchmarks(benchmarks)
    assert report == gate.benchmarks
    assert {name: b.language for name, b in report.items()} == {
        "clinc150_oos_val_en": "en",
        "nl_weather_test": "nl",
        "xsid_test_nl": "nl",
    }
    assert [name for name, b in report.items() if b.validation] == ["clinc150_oos_val_en"]


def test_report_and_gate_score_the_same_heldout_examples(tmp_path: Path) -> None:
    heldout, benchmarks = _sets(tmp_path)
    gate = load_evaluation_sets(heldout, benchmarks).heldout
    report = eval_nlu.load_held_out(heldout)
    as_gate = {lang: [(e.text, e.intent) for e in examples] for lang, examples in gate.items()}
    as_report = {lang: [(e.text, e.intent) for e in examples] for lang, examples in report.items()}
    assert as_report == as_gate
    assert report["nl"][0].entities == [{"entity": "category", "value": "coats"}]
    assert report["nl"][0].source == "test.yml" and report["en"][0].source == "dev.yml"


@pytest.mark.skipif(not RASA_PYTHON.exists(), reason="the Rasa environment is not set up")
def test_the_rasa_environment_reads_the_same_sets(tmp_path: Path) -> None:
    """eval_nlu.py runs on Python 3.10 in .venv-rasa; its reading must match the gate's."""
    heldout, benchmarks = _sets(tmp_path)
    program = (
        "import json, sys\n"
        "from scripts.eval_nlu import load_benchmarks, load_held_out\n"
        "from pathlib import Path\n"
        "b = load_benchmarks(Path(sys.argv[2]))\n"
        "h = load_held_out(Path(sys.argv[1]))\n"
        "print(json.dumps({'benchmarks': {k: [v.language, v.sentences] for k, v in b.items()},"
        " 'heldout': {k: [[e.text, e.intent] for e in v] for k, v in h.items()}}))\n"
    )
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", program, str(heldout), str(benchmarks)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    gate = load_evaluation_sets(heldout, benchmarks)
    assert json.loads(result.stdout) == {
        "benchmarks": {k: [v.language, v.sentences] for k, v in gate.benchmarks.items()},
        "heldout": {k: [[e.text, e.intent] for e in v] for k, v in gate.heldout.items()},
    }
