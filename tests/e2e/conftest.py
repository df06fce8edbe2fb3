"""The real product for end-to-end tests: trained model, Rasa, action server and inbox API."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.stack import (
    DEMO_STAFF_EMAIL,
    ROOT,
    Ports,
    Stack,
    StackError,
    free_port,
    prepare_data,
)

MODEL = ROOT / "models" / "current.tar.gz"


@dataclass(frozen=True)
class RunningStack:
    rasa_url: str
    inbox_url: str
    actions_url: str
    rasa_token: str
    delivery_secret: str
    staff_email: str
    staff_password: str
    database_url: str


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """All three runtimes on free ports with their own SQLite database and secrets."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: `make test` trains it first ('make train').")
    work = tmp_path_factory.mktemp("e2e")
    database_url = f"sqlite+aiosqlite:///{work / 'e2e.db'}"
    password = secrets.token_urlsafe(12)
    env = {
        "DATABASE_URL": database_url,
        "RASA_TOKEN": secrets.token_urlsafe(24),
        "INBOX_SERVICE_TOKEN": secrets.token_urlsafe(24),
        "INBOX_JWT_SECRET": secrets.token_urlsafe(32),
        "DELIVERY_SIGNING_SECRET": secrets.token_urlsafe(32),
        "DEMO_STAFF_PASSWORD": password,
    }
    # The e2e stack never inherits a developer's production stores.
    os.environ.pop("REDIS_URL", None)
    prepare_data(env)
    ports = Ports(rasa=free_port(), actions=free_port(), inbox=free_port())
    running = Stack(env=env, ports=ports, log_dir=Path(work) / "log")
    try:
        running.start()
    except StackError as error:
        pytest.fail(str(error))
    try:
        yield RunningStack(
            rasa_url=f"http://127.0.0.1:{ports.rasa}",
            inbox_url=f"http://127.0.0.1:{ports.inbox}",
            actions_url=f"http://127.0.0.1:{ports.actions}",
            rasa_token=env["RASA_TOKEN"],
            delivery_secret=env["DELIVERY_SIGNING_SECRET"],
            staff_email=DEMO_STAFF_EMAIL,
            staff_password=password,
            database_url=database_url,
        )
    finally:
        running.stop()
