"""Which package may import which (README "Boundaries"): import-linter's contracts in pyproject."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _config() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]


def test_every_package_keeps_to_its_imports() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(_config()['contracts'])} kept, 0 broken" in result.stdout


def test_each_contract_catches_a_forbidden_import(tmp_path: Path) -> None:
    # A tree of empty packages in which every contract's source imports what it must not.
    config = _config()
    for package in config["root_packages"]:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    for number, contract in enumerate(config["contracts"]):
        contract.pop("ignore_imports", None)
        source = contract["source_modules"][0]
        forbidden = contract["forbidden_modules"][0]
        (tmp_path / source / f"breach_{number}.py").write_text(f"import {forbidden}\n")
    lines = [
        "[importlinter]",
        "root_packages =",
        *(f"    {p}" for p in config["root_packages"]),
        "include_external_packages = True",
    ]
    for number, contract in enumerate(config["contracts"]):
        lines += [
            f"[importlinter:contract:{number}]",
            f"name = {contract['name']}",
            "type = forbidden",
            "source_modules =",
            *(f"    {m}" for m in contract["source_modules"]),
            "forbidden_modules =",
            *(f"    {m}" for m in contract["forbidden_modules"]),
        ]
    (tmp_path / ".importlinter").write_text("\n".join(lines) + "\n")
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert f"0 kept, {len(config['contracts'])} broken" in result.stdout, result.stdout
