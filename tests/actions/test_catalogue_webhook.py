"""The real action server, started the way the integrator starts it, answers from the catalogue."""

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


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m rasa_sdk --actions actions` on a free port, on a seeded SQLite copy."""
    tmp_path = tmp_path_factory.mktemp("action-server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": seeded_sqlite_url(tmp_path),
        "PYTHONPATH": str(ROOT),
        "SANIC_HOST": "127.0.0.1",
    }
    log_path = tmp_path / "actions.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", str(port)],
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
        json=_webhook("action_product_price", language, product=product),
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    responses = reply.json()["responses"]
    assert [render(r, language) for r in responses] == [expected]
