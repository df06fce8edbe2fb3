"""The real action server, started as `make run` starts it: only callers with the token get in."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.actions.catalogue_helpers import domain, render
from tests.catalogue.factories import seeded_sqlite_url

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "action-server-token-for-tests"


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m actions` on a free port, on a seeded SQLite copy, with a server token."""
    tmp_path = tmp_path_factory.mktemp("action-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": seeded_sqlite_url(tmp_path),
        "PYTHONPATH": str(ROOT),
        "ACTION_SERVER_TOKEN": TOKEN,
    }
    env.pop("ACTIONS_HOST", None)
    env.pop("SANIC_HOST", None)
    log_path = tmp_path / "actions.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "actions", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"action server did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _webhook(action: str, language: str, **slots: Any) -> dict[str, Any]:
    return {
        "next_action": action,
        "sender_id": f"webhook-{language}",
        "version": "3.6.21",
        "domain": domain(),
        "tracker": {
            "sender_id": f"webhook-{language}",
            "slots": {"language": language, **slots},
            "latest_message": {"text": "", "intent": {"name": "product_price"}, "entities": []},
            "latest_event_time": time.time(),
            "followup_action": None,
            "paused": False,
            "events": [],
            "latest_input_channel": "rest",
            "latest_action_name": "action_listen",
            "active_loop": {},
        },
    }


@pytest.mark.parametrize(
    ("language", "product", "expected"),
    [
        ("nl", "Lina wikkeljurk", "De Lina wikkeljurk kost € 79,95."),
        ("en", "Lina wrap dress", "The Lina wrap dress is €79.95."),
    ],
)
def test_price_over_the_webhook(
    action_server: str, language: str, product: str, expected: str
) -> None:
    reply = httpx.post(
        f"{action_server}/webhook",
        params={"token": TOKEN},
        json=_webhook("action_product_price", language, product=product),
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    responses = reply.json()["responses"]
    assert [render(r, language) for r in responses] == [expected]


@pytest.mark.parametrize(
    "credentials",
    [
        {},
        {"params": {"token": "guessed"}},
        {"params": {"token": ""}},
        {"headers": {"Authorization": "Bearer guessed"}},
    ],
    ids=["no-token", "wrong-token", "empty-token", "wrong-bearer"],
)
def test_a_call_without_the_token_is_refused(
    action_server: str, credentials: dict[str, Any]
) -> None:
    """Without the token nobody reaches the actions (tickets, signups) around the dialogue."""
    for path, body in (
        ("/webhook", _webhook("action_product_price", "en", product="Lina wrap dress")),
        ("/webhook", _webhook("action_escalate", "en")),
    ):
        refused = httpx.post(f"{action_server}{path}", json=body, timeout=30, **credentials)
        assert refused.status_code == 401, refused.text
        assert "responses" not in refused.text
    listing = httpx.get(f"{action_server}/actions", timeout=30, **credentials)
    assert listing.status_code == 401


def test_the_token_also_works_as_a_bearer_header(action_server: str) -> None:
    reply = httpx.post(
        f"{action_server}/webhook",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json=_webhook("action_product_price", "en", product="Lina wrap dress"),
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["responses"][0]["response"] == "utter_product_price"


def test_the_server_listens_on_loopback_only(action_server: str) -> None:
    """With no ACTIONS_HOST the server is not reachable on the machine's other addresses."""
    port = int(action_server.rsplit(":", 1)[1])
    others = {
        str(info[4][0])
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    }
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as outward:
        # Connecting a UDP socket sends nothing; it only picks the outward interface.
        try:
            outward.connect(("192.0.2.1", 9))
            others.add(str(outward.getsockname()[0]))
        except OSError:
            pass
    others = {address for address in others if not address.startswith(("127.", "0."))}
    if not others:
        pytest.skip("this machine has no non-loopback IPv4 address")
    for address in others:
        with socket.socket() as probe:
            probe.settimeout(2)
            assert probe.connect_ex((address, port)) != 0, f"reachable on {address}"


def test_without_a_token_the_server_refuses_to_start() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ACTION_SERVER_TOKEN": ""}
    started = subprocess.run(
        [sys.executable, "-m", "actions", "--port", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert started.returncode != 0
    assert "ACTION_SERVER_TOKEN is not set" in started.stderr
