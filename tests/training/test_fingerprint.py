"""One fingerprint for `make train` (scripts/train.sh) and the model registry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from training.fingerprint import data_fingerprint, full_fingerprint

ROOT = Path(__file__).resolve().parents[2]


def _project(root: Path) -> Path:
    (root / "data" / "nlu" / "en").mkdir(parents=True)
    (root / "data" / "nlu" / "en" / "greet.yml").write_text("nlu: []\n", encoding="utf-8")
    (root / "config.yml").write_text("language: en\n", encoding="utf-8")
    (root / "domain.yml").write_text("intents: [greet]\n", encoding="utf-8")
    (root / "bot").mkdir()
    (root / "bot" / "components.py").write_text("X = 1\n", encoding="utf-8")
    (root / "requirements").mkdir()
    (root / "requirements" / "rasa.lock").write_text("rasa==3.6.20\n", encoding="utf-8")
    return root


def test_custom_components_and_the_rasa_lock_change_the_fingerprint(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = data_fingerprint(root)
    (root / "bot" / "components.py").write_text("X = 2\n", encoding="utf-8")
    after_bot = data_fingerprint(root)
    (root / "requirements" / "rasa.lock").write_text("rasa==3.6.21\n", encoding="utf-8")
    after_lock = data_fingerprint(root)
    assert len({before, after_bot, after_lock}) == 3


def test_bytecode_and_hidden_files_do_not_count(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = full_fingerprint(root)
    (root / "bot" / "__pycache__").mkdir()
    (root / "bot" / "__pycache__" / "components.cpython-310.pyc").write_bytes(b"\0")
    (root / "data" / "nlu" / "en" / ".greet.yml.1234.tmp").write_text("half", encoding="utf-8")
    assert full_fingerprint(root) == before


def test_same_value_as_sha256sum_over_the_inputs(tmp_path: Path) -> None:
    """The value train.sh used to compute in the shell, so existing models stay up to date."""
    root = _project(tmp_path)
    shell = subprocess.run(
        "find config.yml domain.yml data bot requirements/rasa.lock -type f ! -name '*.pyc' "
        "-print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1",
        shell=True,
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert full_fingerprint(root) == shell


def test_train_script_prints_and_compares_this_fingerprint(tmp_path: Path) -> None:
    root = _project(tmp_path)
    printed = subprocess.run(
        [sys.executable, "-m", "training.fingerprint", str(root)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert printed == full_fingerprint(root)
    assert "-m training.fingerprint" in (ROOT / "scripts" / "train.sh").read_text(encoding="utf-8")
