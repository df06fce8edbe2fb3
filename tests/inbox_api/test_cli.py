"""The two commands the integrator runs: migrate and create-staff."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("INBOX_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "inbox_api", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_then_create_staff_is_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    for _ in range(2):
        migrated = _run(["migrate"], DATABASE_URL=url)
        assert migrated.returncode == 0, migrated.stderr
    args = ["create-staff", "--email", "Eva@Linde.test", "--name", "Eva", "--role", "agent"]
    created = _run(
        [*args, "--languages", "nl"], DATABASE_URL=url, INBOX_NEW_STAFF_PASSWORD="s3cret-pass"
    )
    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith("Created agent eva@linde.test")
    updated = _run(
        [*args, "--languages", "nl,en"], DATABASE_URL=url, INBOX_NEW_STAFF_PASSWORD="n3w-pass!"
    )
    assert updated.returncode == 0 and updated.stdout.startswith("Updated agent eva@linde.test")
    assert "n3w-pass" not in updated.stdout + updated.stderr


def test_the_demo_team_is_seeded_once_with_the_demo_login_as_lead(tmp_path: Path) -> None:
    import sqlite3

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert _run(["migrate"], DATABASE_URL=url).returncode == 0
    staff = ["create-staff", "--email", "demo@linde.example", "--name", "Demo", "--role", "admin"]
    assert _run(staff, DATABASE_URL=url, INBOX_NEW_STAFF_PASSWORD="s3cret-pass").returncode == 0
    first = _run(["demo-team", "--email", "demo@linde.example"], DATABASE_URL=url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == (
        "Created team 'Klantenservice' (auto-assignment on, at most 5 open tickets each); "
        "demo@linde.example leads it."
    )
    again = _run(["demo-team", "--email", "demo@linde.example"], DATABASE_URL=url)
    assert again.stdout.strip() == (
        "Team 'Klantenservice' exists; demo@linde.example is in a team already."
    )
    with sqlite3.connect(tmp_path / "cli.db") as db:
        assert db.execute("SELECT name, auto_assign FROM teams").fetchall() == [
            ("Klantenservice", 1)
        ]
        assert db.execute("SELECT is_lead FROM agent_states").fetchall() == [(1,)]
        assert [r[0] for r in db.execute("SELECT action FROM team_changes ORDER BY id")] == [
            "created", "member_added",
        ]
    refused = _run(
        ["demo-team", "--email", "demo@linde.example"], DATABASE_URL=url, APP_ENV="production"
    )
    assert refused.returncode == 1


def test_create_staff_without_password_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = _run(
        ["create-staff", "--email", "a@b.c", "--name", "A", "--role", "admin"], DATABASE_URL=url
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip() == "Set INBOX_NEW_STAFF_PASSWORD to the new staff member's password."
    )


@pytest.mark.postgres
def test_migrate_against_a_database_that_does_not_answer() -> None:
    result = _run(["migrate"], DATABASE_URL="postgresql://postgres@127.0.0.1:1/none")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "does not answer" in lines[0] and "DATABASE_URL" in lines[0]
    assert "Traceback" not in result.stderr
