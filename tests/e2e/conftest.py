"""The real product for end-to-end tests: trained model, Rasa, action server and inbox API."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from scripts.stack import (
    DEMO_STAFF_EMAIL,
    ROOT,
    DemoMeta,
    Ports,
    Stack,
    StackError,
    free_port,
    prepare_data,
)

if TYPE_CHECKING:
    from playwright.async_api import Browser

MODEL = ROOT / "models" / "current.tar.gz"


@dataclass(frozen=True)
class MetaChannels:
    """The Meta channels' settings in the stack, pointed at the fake Graph API."""

    graph_url: str  # with the API version, as META_GRAPH_URL
    app_secret: str
    verify_token: str
    page_id: str
    instagram_id: str
    phone_number_id: str
    store_path: Path  # the channels' shared store (CHANNELS_STORE_PATH)

    @property
    def fake_root(self) -> str:
        return self.graph_url.rsplit("/", 1)[0]


@dataclass(frozen=True)
class RunningStack:
    rasa_url: str
    inbox_url: str
    actions_url: str
    actions_token: str
    rasa_token: str
    delivery_secret: str
    staff_email: str
    staff_password: str
    database_url: str
    meta: MetaChannels
    # Stops the Rasa server and starts it again on the same port and stores.
    restart_rasa: Callable[[], None]
    # Starts one more Rasa process on the same stores; returns its URL.
    add_rasa: Callable[[], str]
    # Every Rasa process the inbox asks which model it runs (RASA_REPLICA_URLS): the first
    # Rasa and the ones add_rasa starts next (running_stack's rasa_replicas).
    replica_urls: tuple[str, ...] = ()
    # Rasa's SQLite tracker file (used when database_url is SQLite).
    rasa_tracker_db: Path = Path("/nonexistent")


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's chromium, headless (the browser tests of the demo and staff pages)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """All three runtimes on free ports with their own SQLite database and secrets."""
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: `make test` trains it first ('make train').")
    work = tmp_path_factory.mktemp("e2e")
    with running_stack(work) as running:
        yield running


@contextmanager
def running_stack(
    work: Path, database_url: str | None = None, redis_url: str | None = None,
    redis_prefix: str | None = None, extra_env: dict[str, str] | None = None,
    rasa_replicas: int = 0,
) -> Iterator[RunningStack]:
    """The stack on SQLite and in-process stores, or on the given PostgreSQL and Redis.

    `rasa_replicas`: ports kept for that many add_rasa() processes, all listed to the inbox.
    """
    database_url = database_url or f"sqlite+aiosqlite:///{work / 'e2e.db'}"
    password = secrets.token_urlsafe(12)
    # The Meta channels talk to the fake Graph API (demo/graph_api.py), started by the stack
    # as `make run` starts it for the demo, with the mock brand page on.
    demo = DemoMeta(port=free_port(), page_id="PAGE-E2E", instagram_id="IG-E2E",
                    phone_number_id="PHONE-E2E")
    meta = MetaChannels(
        graph_url=demo.graph_url, app_secret=demo.app_secret, verify_token=demo.verify_token,
        page_id=demo.page_id, instagram_id=demo.instagram_id,
        phone_number_id=demo.phone_number_id, store_path=work / "channels.db",
    )
    env = {
        "DATABASE_URL": database_url,
        "RASA_TOKEN": secrets.token_urlsafe(24),
        "INBOX_SERVICE_TOKEN": secrets.token_urlsafe(24),
        "ACTION_SERVER_TOKEN": secrets.token_urlsafe(24),
        "INBOX_JWT_SECRET": secrets.token_urlsafe(32),
        "DELIVERY_SIGNING_SECRET": secrets.token_urlsafe(32),
        "DEMO_STAFF_PASSWORD": password,
        **demo.env(),
        "CHANNELS_STORE_PATH": str(meta.store_path),
        # Checks planned straight in the database (tests move a reply window) run within 5 s.
        "INBOX_SLA_RECONCILE_SECONDS": "5",
    }
    # The e2e stack never inherits a developer's production stores.
    os.environ.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
        env["REDIS_PREFIX"] = redis_prefix or "e2e"
    env.update(extra_env or {})
    prepare_data(env)
    ports = Ports(rasa=free_port(), actions=free_port(), inbox=free_port())
    replica_ports = [free_port() for _ in range(rasa_replicas)]
    replica_urls = tuple(f"http://127.0.0.1:{port}" for port in [ports.rasa, *replica_ports])
    if rasa_replicas:
        env["RASA_REPLICA_URLS"] = ",".join(replica_urls)
    running = Stack(env=env, ports=ports, log_dir=Path(work) / "log", demo_meta=demo)
    try:
        running.start()
    except StackError as error:
        pytest.fail(str(error))
    try:
        yield RunningStack(
            rasa_url=f"http://127.0.0.1:{ports.rasa}",
            inbox_url=f"http://127.0.0.1:{ports.inbox}",
            actions_url=f"http://127.0.0.1:{ports.actions}",
            actions_token=env["ACTION_SERVER_TOKEN"],
            rasa_token=env["RASA_TOKEN"],
            delivery_secret=env["DELIVERY_SIGNING_SECRET"],
            staff_email=DEMO_STAFF_EMAIL,
            staff_password=password,
            database_url=database_url,
            meta=meta,
            restart_rasa=lambda: running.restart("rasa"),
            rasa_tracker_db=Path(work) / "rasa_tracker.db",
            add_rasa=lambda: running.add_rasa(
                replica_ports.pop(0) if replica_ports else free_port()
            ),
            replica_urls=replica_urls if rasa_replicas else (),
        )
    finally:
        running.stop()
