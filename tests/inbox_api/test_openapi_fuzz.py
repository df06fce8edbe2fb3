"""The inbox API keeps its OpenAPI contract under fuzzing (schemathesis, real HTTP server).

Every operation gets generated valid and invalid requests, signed in as an admin (or as the
action server where the service token applies): no answer may be a 5xx the operation does
not declare (the review queue declares 503 for "no training worker", which is the state
here), and every documented answer must match its declared schema and content type. Bounded to a few
examples per operation so `make test` stays fast; `FUZZ_EXAMPLES=200` digs deeper.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
import uvicorn
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, response_schema_conformance

from inbox_api.app import create_app
from inbox_api.migrate import upgrade_head
from tests.inbox_api.conftest import SERVICE_TOKEN, make_settings, start_inbox
from tests.inbox_api.staff.factories import PASSWORD, make_staff
from tests.inbox_api.tickets.factories import escalation

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
ADMIN = "fuzz-admin@linde.test"
# The action server's two calls; everything else is staff-only.
SERVICE_PATHS = {"/api/v1/escalations", "/api/v1/review/reports"}
# A server-sent event stream never ends, so it cannot be answered and checked like the rest.
STREAMS = "/api/v1/live/events"


def _free_socket() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock


async def _seed(database_url: str) -> None:
    """An admin to sign in as, a few tickets and review items for ids to land on."""
    inbox, lifespan = await start_inbox(make_settings(database_url, "http://127.0.0.1:9"))
    try:
        await make_staff(inbox.runtime, email=ADMIN, role="admin")
        service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
        for n in range(3):
            response = await inbox.client.post(
                "/api/v1/escalations", json=escalation(f"fuzz-{n}"), headers=service
            )
            assert response.status_code == 201, response.text
    finally:
        await inbox.client.aclose()
        await lifespan.__aexit__(None, None, None)


@pytest.fixture(scope="module")
def inbox_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The inbox API served by uvicorn in a thread, on a seeded SQLite database."""
    work = tmp_path_factory.mktemp("fuzz")
    database_url = f"sqlite+aiosqlite:///{work / 'fuzz.db'}"
    upgrade_head(database_url)
    asyncio.run(_seed(database_url))
    # No Rasa and no training worker: jobs and example edits only queue (edits wait briefly).
    app = create_app(
        make_settings(
            database_url, "http://127.0.0.1:9", run_workers=False, training_edit_wait_seconds=0.2
        )
    )
    sock = _free_socket()
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the inbox did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@pytest.fixture(scope="module")
def staff_headers(inbox_url: str) -> dict[str, str]:
    response = httpx.post(
        f"{inbox_url}/api/v1/auth/login", json={"email": ADMIN, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


# The contract as the app declares it (building the app starts nothing: that is lifespan's job).
schema = (
    schemathesis.openapi.from_dict(
        create_app(make_settings("sqlite+aiosqlite://", "http://127.0.0.1:9")).openapi()
    )
    .exclude(path=STREAMS)
)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_the_inbox_api_keeps_its_contract(
    case: Any, inbox_url: str, staff_headers: dict[str, str]
) -> None:
    headers = (
        {"Authorization": f"Bearer {SERVICE_TOKEN}"}
        if case.path in SERVICE_PATHS
        else staff_headers
    )
    response = case.call(base_url=inbox_url, headers=headers, timeout=30)
    declared = case.operation.definition.raw.get("responses", {})
    if response.status_code >= 500:
        assert str(response.status_code) in declared, (
            f"{case.method} {case.formatted_path}: undeclared {response.status_code} "
            f"{response.text[:300]}"
        )
    case.validate_response(
        response,
        headers=headers,
        checks=[response_schema_conformance, content_type_conformance],
    )
