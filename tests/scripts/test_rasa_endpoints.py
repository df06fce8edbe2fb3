"""Rasa's stores come from DATABASE_URL / REDIS_URL; a store that does not answer stops start-up."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.rasa_endpoints import rasa_stores, write_endpoints
from scripts.stack import RASA_PYTHON, ROOT, StackError, check_stores, free_port


def expanded(text: str, env: dict[str, str]) -> Any:
    """The file as Rasa reads it: ${VAR} replaced from the environment, unset ones an error."""

    def value(match: re.Match[str]) -> str:
        return env[match.group(1)]

    return yaml.safe_load(re.sub(r"\$\{(\w+)\}", value, text))


BASE = {
    "ACTION_SERVER_URL": "http://a/webhook", "ACTION_SERVER_TOKEN": "tok", "RASA_TRACKER_DB": "t.db"
}


def test_the_embedded_default_is_a_sqlite_tracker_and_in_process_locks() -> None:
    stores = rasa_stores({})
    endpoints = expanded(stores.text, BASE)
    assert endpoints["tracker_store"] == {"type": "SQL", "dialect": "sqlite", "db": "t.db"}
    assert "lock_store" not in endpoints
    assert endpoints["action_endpoint"] == {"url": "http://a/webhook", "token": "tok"}
    # A SQLite DATABASE_URL keeps the embedded default as well.
    assert rasa_stores({"DATABASE_URL": "sqlite+aiosqlite:///var/linde.db"}).text == stores.text


def test_the_root_endpoints_file_is_the_generated_default() -> None:
    assert (ROOT / "endpoints.yml").read_text() == rasa_stores({}).text, (
        "endpoints.yml is generated: run `.venv/bin/python -m scripts.rasa_endpoints`"
    )


def test_postgresql_gets_the_tracker_store_in_its_own_schema_without_the_password_in_the_file(
) -> None:
    settings = {
        "DATABASE_URL": "postgresql+asyncpg://linde:s3cr%40t@db.internal:6432/support?sslmode=require",
    }
    stores = rasa_stores(settings)
    assert "s3cr" not in stores.text
    assert stores.env == {"POSTGRESQL_SCHEMA": "rasa", "RASA_TRACKER_DB_PASSWORD": "s3cr@t"}
    endpoints = expanded(stores.text, {**BASE, **stores.env})
    assert endpoints["tracker_store"] == {
        "type": "SQL", "dialect": "postgresql", "url": "db.internal", "port": 6432,
        "db": "support", "username": "linde", "password": "s3cr@t",
        "query": {"sslmode": "require"},
    }
    assert (stores.tracker, stores.lock_store) == ("postgresql", "in-memory")


def test_redis_gets_rasas_lock_store_under_the_products_prefix() -> None:
    stores = rasa_stores({"REDIS_URL": "rediss://:pw@cache:6380/3", "REDIS_PREFIX": "test-ab12"})
    assert "pw" not in stores.text.replace("password", "")
    endpoints = expanded(stores.text, {**BASE, **stores.env})
    assert endpoints["lock_store"] == {
        "type": "redis", "url": "cache", "port": 6380, "db": 3,
        # Rasa ignores a prefix that is not letters and digits only.
        "key_prefix": "testab12", "password": "pw", "use_ssl": True,
    }
    assert endpoints["tracker_store"]["dialect"] == "sqlite"
    plain = expanded(rasa_stores({"REDIS_URL": "redis://127.0.0.1:6379"}).text, BASE)
    assert plain["lock_store"] == {
        "type": "redis", "url": "127.0.0.1", "port": 6379, "db": 0, "key_prefix": "linde",
    }


@pytest.mark.rasa
def test_rasa_itself_reads_the_generated_stores(tmp_path: Path) -> None:
    settings = {
        "DATABASE_URL": "postgresql://linde:pw@db.internal:6432/support",
        "REDIS_URL": "redis://cache:6380/2",
        "REDIS_PREFIX": "shop1",
    }
    path = tmp_path / "endpoints.yml"
    stores = write_endpoints(path, settings)
    script = (
        "import json, sys; from rasa.core.utils import read_endpoints_from_path as r; "
        "e = r(sys.argv[1]); "
        "print(json.dumps({'tracker': e.tracker_store.kwargs, 'lock': e.lock_store.kwargs, "
        "'tracker_host': e.tracker_store.url, 'lock_host': e.lock_store.url, "
        "'lock_type': e.lock_store.type, 'action': e.action.url}))"
    )
    env = {**os.environ, **BASE, **stores.env, "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", script, str(path)], env=env, capture_output=True, text=True,
        timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    read = json.loads(result.stdout.strip().splitlines()[-1])
    assert read["tracker"]["password"] == "pw" and read["tracker"]["db"] == "support"
    # Rasa hands `url` to the store as its host: a `host` key as well is a TypeError at start.
    assert read["tracker_host"] == "db.internal" and "host" not in read["tracker"]
    assert read["lock_host"] == "cache" and "host" not in read["lock"]
    assert read["lock_type"] == "redis" and read["lock"]["key_prefix"] == "shop1"
    assert read["action"] == "http://a/webhook"


def test_a_database_url_that_does_not_answer_is_named() -> None:
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere"
    with pytest.raises(StackError, match=r"^DATABASE_URL does not answer: no PostgreSQL at "):
        check_stores({"DATABASE_URL": url}, timeout=2)


def test_a_redis_url_that_does_not_answer_is_named() -> None:
    url = f"redis://:secret@127.0.0.1:{free_port()}/0"
    with pytest.raises(StackError, match=r"^REDIS_URL does not answer: no Redis at ") as error:
        check_stores({"REDIS_URL": url}, timeout=2)
    assert "secret" not in str(error.value)


def test_reachable_stores_pass_and_get_rasas_schema(postgres_url: str, redis_url: str) -> None:
    check_stores({"DATABASE_URL": postgres_url, "REDIS_URL": redis_url})
    check_stores({"DATABASE_URL": postgres_url})  # twice: the schema already exists


def test_make_run_stops_with_one_sentence_when_redis_does_not_answer(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        "RASA_PORT": str(free_port()), "ACTIONS_PORT": str(free_port()),
        "INBOX_PORT": str(free_port()),
    }
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "scripts.run"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("run: REDIS_URL does not answer: no Redis at 127.0.0.1")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Migrating" not in result.stdout


def test_without_a_pull_interval_rasa_gets_no_model_server() -> None:
    assert "models" not in expanded(rasa_stores({"INBOX_URL": "http://i:1"}).text, BASE)
    assert "models" not in expanded(rasa_stores({"RASA_MODEL_PULL_SECONDS": "0"}).text, BASE)
    with pytest.raises(ValueError, match="RASA_MODEL_PULL_SECONDS"):
        rasa_stores({"RASA_MODEL_PULL_SECONDS": "soon"})


def test_rasa_itself_reads_the_model_server_with_its_token_from_the_environment(
    tmp_path: Path,
) -> None:
    path = tmp_path / "endpoints.yml"
    stores = write_endpoints(
        path, {"RASA_MODEL_PULL_SECONDS": "7", "INBOX_URL": "http://inbox.internal:8001/"}
    )
    assert stores.model_pull_seconds == 7
    # The token never reaches the file.
    assert "-tok" not in path.read_text()
    script = (
        "import json, sys; from rasa.core.utils import read_endpoints_from_path as r; "
        "m = r(sys.argv[1]).model; "
        "print(json.dumps({'url': m.url, 'headers': m.headers, 'kwargs': m.kwargs, "
        "'params': m.combine_parameters()}))"
    )
    env = {**os.environ, **BASE, "MODEL_SERVER_TOKEN": "-tok_1", "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [str(RASA_PYTHON), "-c", script, str(path)], env=env, capture_output=True, text=True,
        timeout=180, check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    read = json.loads(result.stdout.strip().splitlines()[-1])
    assert read == {
        "url": "http://inbox.internal:8001/api/v1/model-server/model",
        # A header, not a `?token=` parameter: the token stays out of access logs.
        "headers": {"Authorization": "Bearer -tok_1"},
        "kwargs": {"wait_time_between_pulls": 7},
        "params": {},
    }
    moved = rasa_stores({"RASA_MODEL_PULL_SECONDS": "3", "RASA_MODEL_URL": "https://m/x"})
    assert expanded(moved.text, {**BASE, "MODEL_SERVER_TOKEN": "t"})["models"]["url"] == "https://m/x"
