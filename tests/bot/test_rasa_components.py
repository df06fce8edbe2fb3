"""The hand-off policy and the language detector inside the real Rasa runtime (.venv-rasa)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


@pytest.mark.rasa
@pytest.mark.skipif(not RASA_PYTHON.exists(), reason="the Rasa environment is not installed")
def test_components_behave_inside_rasa(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(RASA_PYTHON), str(Path(__file__).with_name("rasa_component_checks.py")),
         str(tmp_path)],
        capture_output=True, text=True, timeout=300, cwd=ROOT, check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "rasa component checks passed" in result.stdout
