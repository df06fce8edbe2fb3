"""Postcode guessing through the real product: new senders do not reset the count."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.e2e.conftest import RunningStack
from tests.e2e.test_support_loop import say_rest, staff_token

pytestmark = pytest.mark.e2e

NOT_VERIFIED = "Ik kan geen bestelling vinden die past bij dit bestelnummer"
LOCKED = "Om klantgegevens te beschermen kan ik deze bestelling nu niet opzoeken"


async def ask_order(stack: RunningStack, sender: str, postcode: str) -> str:
    """One conversation asking where order 100512 is, with this postcode."""
    await say_rest(stack, sender, "Waar is mijn bestelling?")
    asked = " ".join(await say_rest(stack, sender, "100512"))
    assert "postcode" in asked, asked
    return " ".join(await say_rest(stack, sender, postcode))


async def test_guessing_postcodes_from_new_senders_locks_the_order(stack: RunningStack) -> None:
    run = uuid.uuid4().hex[:8]
    for guess in range(5):
        answer = await ask_order(stack, f"guess-{run}-{guess}", f"{1100 + guess} AB")
        assert NOT_VERIFIED in answer, answer
    # A sixth sender with the order's real postcode learns nothing either.
    last = f"guess-{run}-last"
    answer = await ask_order(stack, last, "3511 KJ")
    assert LOCKED in answer and "Probeer het na" in answer, answer
    assert "onderweg" not in answer

    # The conversation went to a colleague, who sees the lockout.
    async with httpx.AsyncClient(timeout=30) as client:
        headers = {"Authorization": f"Bearer {await staff_token(client, stack)}"}
        listed = (await client.get(f"{stack.inbox_url}/api/v1/tickets", headers=headers)).json()
        items = listed["items"] if isinstance(listed, dict) else listed
        ours = [t for t in items if t["conversation_id"] == last]
        assert len(ours) == 1, items
        detail_url = f"{stack.inbox_url}/api/v1/tickets/{ours[0]['id']}"
        detail = await client.get(detail_url, headers=headers)
        masked = detail.json()["packet"]["entities"]
        # The packet shows the order number masked; an admin reveals it (audited).
        revealed = await client.post(
            f"{detail_url}/packet/reveal", headers=headers, json={"reason": "lockout check"}
        )
        assert revealed.status_code == 200, revealed.text
        entities = revealed.json()["packet"]["entities"]
    shown = [e["value"] for e in masked if e["entity"] == "verification_lockout"]
    assert len(shown) == 1 and "100512" not in shown[0], masked
    lockouts = [e["value"] for e in entities if e["entity"] == "verification_lockout"]
    assert len(lockouts) == 1 and lockouts[0].startswith("order 100512:"), entities
