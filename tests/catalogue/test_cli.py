"""`python -m catalogue migrate|seed` as the integrator runs them."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import create_engine, inspect

ROOT = Path(__file__).resolve().parents[2]


def catalogue_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    env.pop("CATALOGUE_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "catalogue", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_migrate_then_seed_twice(tmp_path: Path) -> None:
    database = tmp_path / "nested" / "linde.db"
    url = f"sqlite:///{database}"
    migrated = catalogue_cli("migrate", database_url=url)
    assert migrated.returncode == 0, migrated.stderr
    assert database.exists()
    first = catalogue_cli("seed", database_url=url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Seeded ") and "products" in first.stdout
    second = catalogue_cli("seed", database_url=url)
    assert second.returncode == 0
    assert second.stdout.strip() == "Catalogue already seeded: nothing changed."
    engine = create_engine(f"sqlite:///{database}")
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert "alembic_version_catalogue" in tables and "alembic_version" not in tables


def test_demo_reset_after_seeding(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'linde.db'}"
    assert catalogue_cli("migrate", database_url=url).returncode == 0
    assert catalogue_cli("seed", database_url=url).returncode == 0
    reset = catalogue_cli("demo-reset", database_url=url)
    assert reset.returncode == 0, reset.stderr
    assert reset.stdout.startswith("Seeded 0 products, 88 orders, 1 returns and 4 events.")


def test_seed_before_migrate_says_what_to_do(tmp_path: Path) -> None:
    result = catalogue_cli("seed", database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    assert result.returncode == 2
    assert "run `python -m catalogue migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["migrate", "seed"])
def test_database_that_does_not_answer_is_one_sentence(command: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://postgres:secret@127.0.0.1:{port}/linde"
    result = catalogue_cli(command, database_url=url)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not answer" in lines[0], result.stderr
    assert "secret" not in result.stderr


@pytest.mark.postgres
def test_migrate_on_postgres_keeps_its_own_version_table(postgres_url: str) -> None:
    result = catalogue_cli("migrate", database_url=postgres_url)
    assert result.returncode == 0, result.stderr

    async def tables() -> set[str]:
        connection = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg", "postgresql"))
        try:
            rows = await connection.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            )
        finally:
            await connection.close()
        return {row["tablename"] for row in rows}

    names = asyncio.run(tables())
    assert {"alembic_version_catalogue", "products", "events", "registrations"} <= names
