"""The action server of the running product answers the Rasa server only (it has the token)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.e2e.conftest import RunningStack
from tests.e2e.test_support_loop import say_rest

pytestmark = pytest.mark.e2e


async def test_only_the_rasa_server_reaches_the_actions(stack: RunningStack) -> None:
    call = {
        "next_action": "action_escalate",
        "sender_id": "attacker",
        "tracker": {"sender_id": "attacker", "slots": {}, "events": [], "latest_message": {}},
        "domain": {},
        "version": "3.6.21",
    }
    async with httpx.AsyncClient(timeout=30) as client:
        refused = await client.post(f"{stack.actions_url}/webhook", json=call)
        wrong = await client.post(
            f"{stack.actions_url}/webhook", params={"token": "guess"}, json=call
        )
    assert (refused.status_code, wrong.status_code) == (401, 401)

    # Rasa itself calls the action server with the token from endpoints.yml.
    answer = await say_rest(stack, f"token-{uuid.uuid4().hex[:8]}", "Wat kost de Lina wikkeljurk?")
    assert answer == ["De Lina wikkeljurk kost € 79,95."]
