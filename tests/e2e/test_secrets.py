"""Rasa's API token stays out of sight and only the inbox's page may call Rasa from a browser.

Runs against the real Rasa server that `make run` would start (through bot.launcher).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.e2e


def command_lines() -> dict[int, tuple[int, list[str]]]:
    """Every process on the machine: pid -> (parent pid, arguments)."""
    found: dict[int, tuple[int, list[str]]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "cmdline").read_bytes()
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        found[int(entry.name)] = (parent, raw.decode(errors="replace").split("\0"))
    return found


def rasa_server_pid(stack: RunningStack, processes: dict[int, tuple[int, list[str]]]) -> int:
    port = str(urlsplit(stack.rasa_url).port)
    launched = [
        pid
        for pid, (_, args) in processes.items()
        if "bot.launcher" in args and port in args
    ]
    assert len(launched) == 1, f"expected one Rasa server started by bot.launcher on port {port}"
    return launched[0]


def descendants(root: int, processes: dict[int, tuple[int, list[str]]]) -> list[int]:
    family = [root]
    for pid in family:
        family.extend(child for child, (parent, _) in processes.items() if parent == pid)
    return family


def test_the_rasa_token_is_in_no_command_line(stack: RunningStack) -> None:
    processes = command_lines()
    server = rasa_server_pid(stack, processes)
    for pid in descendants(server, processes):
        assert stack.rasa_token not in "\0".join(processes[pid][1]), f"token in ps for pid {pid}"
    # Nor anywhere else: the inbox and the action server hold it only in their environment.
    shown = [pid for pid, (_, args) in processes.items() if stack.rasa_token in "\0".join(args)]
    assert shown == []


def test_the_api_still_needs_the_token_and_rasa_never_logs_it(stack: RunningStack) -> None:
    with httpx.Client(base_url=stack.rasa_url, timeout=30) as client:
        assert client.get("/status").status_code == 401
        assert client.get("/status", params={"token": "not-the-token"}).status_code == 401
        assert client.get("/status", params={"token": stack.rasa_token}).status_code == 200
    server = rasa_server_pid(stack, command_lines())
    # The server writes to its log through stdout; read the file it points at.
    log = Path(f"/proc/{server}/fd/1").resolve()
    assert log.name == "rasa.log"
    assert stack.rasa_token not in log.read_text(errors="replace")


def test_only_the_inbox_origin_may_call_rasa_from_a_browser(stack: RunningStack) -> None:
    def preflight(origin: str) -> httpx.Response:
        return httpx.options(
            f"{stack.rasa_url}/webhooks/rest/webhook",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
            timeout=30,
        )

    allowed = preflight(stack.inbox_url)
    assert allowed.headers.get("access-control-allow-origin") == stack.inbox_url
    elsewhere = preflight("https://attacker.example")
    assert "access-control-allow-origin" not in elsewhere.headers
