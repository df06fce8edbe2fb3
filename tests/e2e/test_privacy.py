"""A customer talks to the real assistant, is escalated, is exported, then erased everywhere.

SQLite here (the shared stack, Rasa's own tracker file); PostgreSQL (schema `rasa`) in
tests/e2e/test_rasa_stores.py, on that test's stack.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from scripts.stack import ROOT
from tests.e2e.conftest import RunningStack
from tests.e2e.test_support_loop import say_rest, staff_token

pytestmark = pytest.mark.e2e


def privacy_command(
    database_url: str, tracker_db: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """`python -m inbox_api privacy ...` against the stack's stores, as an operator runs it."""
    env = {**os.environ, "DATABASE_URL": database_url, "RASA_TRACKER_DB": str(tracker_db)}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "inbox_api", "privacy", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def export_and_erase(
    database_url: str, tracker_db: Path, conversation: str, email: str
) -> tuple[dict[str, Any], str, str]:
    """The export before erasure, the erase report, and a second erase's report."""
    exported = privacy_command(database_url, tracker_db, "export", "--conversation", conversation)
    assert exported.returncode == 0, exported.stderr
    document = json.loads(exported.stdout)
    erased = privacy_command(database_url, tracker_db, "erase", "--email", email)
    assert erased.returncode == 0, erased.stderr
    again = privacy_command(database_url, tracker_db, "erase", "--email", email)
    assert again.returncode == 0, again.stderr
    return document, erased.stdout, again.stdout


async def test_an_escalated_customer_is_exported_then_erased_from_inbox_and_rasa(
    stack: RunningStack,
) -> None:
    sender = f"privacy-{uuid.uuid4().hex[:8]}"
    email = f"{sender}@example.nl"
    await say_rest(stack, sender, "hoi")
    await say_rest(stack, sender, f"ik wil graag met een medewerker praten, mail {email}")
    async with httpx.AsyncClient(timeout=30) as client:
        headers = {"Authorization": f"Bearer {await staff_token(client, stack)}"}
        queue = (await client.get(f"{stack.inbox_url}/api/v1/tickets", headers=headers)).json()
        mine = [t for t in queue["items"] if t["conversation_id"] == sender]
        assert len(mine) == 1
        # Staff see the address masked.
        assert "[email]" in mine[0]["preview"] and email not in mine[0]["preview"]

    document, erased, again = export_and_erase(
        stack.database_url, stack.rasa_tracker_db, f"rest:{sender}", email
    )
    assert [t["conversation_id"] for t in document["tickets"]] == [sender]
    assert any(email in m["text"] for m in document["tickets"][0]["messages"])
    texts = [e["data"].get("text") for e in document["rasa_events"] if isinstance(e["data"], dict)]
    assert "hoi" in texts
    assert "tickets: 1" in erased and "rasa events: 0" not in erased
    assert "tickets: 0" in again and "rasa events: 0" in again

    async with httpx.AsyncClient(timeout=30) as client:
        headers = {"Authorization": f"Bearer {await staff_token(client, stack)}"}
        everything = await client.get(
            f"{stack.inbox_url}/api/v1/tickets",
            params={"status": ["open", "waiting_on_customer", "resolved"]},
            headers=headers,
        )
        assert sender not in everything.text
        tracker = await client.get(
            f"{stack.rasa_url}/conversations/{sender}/tracker",
            params={"token": stack.rasa_token},
        )
        # Rasa no longer knows the conversation: a fresh tracker without the customer's words.
        assert tracker.status_code == 200
        assert email not in tracker.text and "hoi" not in tracker.text
