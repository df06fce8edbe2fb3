"""The command line: exit 0 when written, non-zero with the reason when refused."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

from inbox_api.migrate import upgrade_head
from kit.database import create_engine
from tests.training.factories import make_project
from training.job_queue import JobQueue
from training.paths import ProjectPaths


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    return make_project(tmp_path / "project")


@pytest.fixture(autouse=True)
def job_queue(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated inbox database for the job queue (edits and model jobs go through it)."""
    upgrade_head(sqlite_url)
    monkeypatch.setenv("TRAINING_DATABASE_URL", sqlite_url)
    return sqlite_url


def run(
    paths: ProjectPaths, *args: str, database_url: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRAINING_ROOT_DIR": str(paths.root)}
    if database_url is not None:
        env["TRAINING_DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "training", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_add_writes_and_exits_zero(project: ProjectPaths) -> None:
    result = run(
        project,
        "nlu",
        "add",
        "--intent",
        "product_price",
        "--language",
        "nl",
        "wat is de prijs van de [Mila jeans](product)",
    )
    assert result.returncode == 0, result.stderr
    assert "data/nlu/nl/shopping.yml:7" in result.stdout
    lines = (project.nlu / "nl" / "shopping.yml").read_text(encoding="utf-8").splitlines()
    assert lines[6] == "      - wat is de prijs van de [Mila jeans](product)"


def test_refused_add_exits_non_zero_with_reason(project: ProjectPaths) -> None:
    before = (project.nlu / "en" / "shopping.yml").read_bytes()
    result = run(
        project,
        "nlu",
        "add",
        "--intent",
        "greet",
        "--language",
        "en",
        "Price of the Mila jeans, please!",
    )
    assert result.returncode == 1
    assert "[conflict]" in result.stderr and "product_price" in result.stderr
    assert (project.nlu / "en" / "shopping.yml").read_bytes() == before


def test_refusal_in_dutch(project: ProjectPaths) -> None:
    result = run(
        project, "--ui", "nl", "nlu", "add", "--intent", "greet", "--language", "xx", "hoi"
    )
    assert result.returncode == 1
    assert "Geweigerd" in result.stderr and "kies nl of en" in result.stderr


def test_validate_and_report(project: ProjectPaths) -> None:
    result = run(project, "nlu", "validate")
    assert result.returncode == 0, result.stdout
    assert "0 errors, 0 warnings" in result.stdout
    (project.nlu / "nl" / "bad.yml").write_text(
        "nlu:\n- intent: greet\n  examples: |\n    - hoeveel kost de Noor blazer\n",
        encoding="utf-8",
    )
    result = run(project, "nlu", "validate")
    assert result.returncode == 1
    assert "[conflict]" in result.stdout

    report = run(project, "nlu", "report")
    assert report.returncode == 0
    assert "product_price" in report.stdout
    assert run(project, "nlu", "report", "--strict").returncode == 1


def test_models_and_status_on_an_empty_registry(project: ProjectPaths, sqlite_url: str) -> None:
    models = run(project, "nlu", "models", "--active-path")
    assert models.returncode == 1 and models.stdout == ""
    status = run(project, "nlu", "status", database_url=sqlite_url)
    assert status.returncode == 0 and status.stdout == ""
    missing = run(project, "nlu", "status", "20261122-000000-abcdef", database_url=sqlite_url)
    assert missing.returncode == 2 and "No such job" in missing.stderr
    promote = run(project, "nlu", "promote")
    assert promote.returncode == 1 and "No candidate model" in promote.stderr


def test_jobs_need_the_migrated_inbox_database(project: ProjectPaths, tmp_path: Path) -> None:
    empty = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    for args in (("nlu", "status"), ("nlu", "add", "--intent", "greet", "--language", "nl", "hoi")):
        result = run(project, *args, database_url=empty)
        assert result.returncode == 2, result.stderr
        assert "python -m inbox_api migrate" in result.stderr and "Traceback" not in result.stderr


def test_add_goes_through_the_job_queue(project: ProjectPaths, job_queue: str) -> None:
    added = run(
        project, "nlu", "add", "--intent", "greet", "--language", "nl", "goedemorgen allemaal"
    )
    assert added.returncode == 0, added.stderr

    async def rows() -> list[tuple[str, str]]:
        engine = create_engine(job_queue)
        try:
            found = await JobQueue(engine).newest(10, ["add_example"])
            return [(row["status"], row["payload"]["text"]) for row in found]
        finally:
            await engine.dispose()

    assert asyncio.run(rows()) == [("succeeded", "goedemorgen allemaal")]
