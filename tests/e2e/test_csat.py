"""Customer satisfaction through the real stack: a colleague resolves, the customer answers the
question with a button and a comment, and the rating shows on the ticket."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
import socketio

from tests.e2e.conftest import RunningStack
from tests.e2e.test_support_loop import staff_token

pytestmark = pytest.mark.e2e


class ButtonCustomer:
    """A chat widget customer who sees the buttons (socket.io quick replies) too."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session_id = f"e2e-csat-{uuid.uuid4().hex[:10]}"
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        @self.client.on("bot_uttered")
        async def on_bot(data: dict[str, Any]) -> None:
            await self.received.put(data)

    async def connect(self) -> None:
        await self.client.connect(self.url, socketio_path="/socket.io", transports=["websocket"])
        await self.client.emit("session_request", {"session_id": self.session_id})
        await asyncio.sleep(0.5)

    async def say(self, text: str) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})

    async def drain(self, quiet: float = 4.0, first_wait: float = 60.0) -> list[dict[str, Any]]:
        """Every message until the bot has been quiet for `quiet` seconds."""
        messages: list[dict[str, Any]] = []
        wait = first_wait
        while True:
            try:
                messages.append(await asyncio.wait_for(self.received.get(), wait))
            except TimeoutError:
                return messages
            wait = quiet


def texts(messages: list[dict[str, Any]]) -> str:
    return " ".join(str(m.get("text") or "") for m in messages)


def buttons(messages: list[dict[str, Any]]) -> dict[str, str]:
    """Button title -> payload, from the quick replies of the messages."""
    return {
        str(b["title"]): str(b["payload"])
        for m in messages
        for b in (m.get("quick_replies") or m.get("buttons") or [])
    }


async def test_customer_rates_the_colleague_and_the_rating_shows_on_the_ticket(
    stack: RunningStack,
) -> None:
    customer = ButtonCustomer(stack.rasa_url)
    await customer.connect()
    try:
        await customer.say("hoi")
        await customer.drain(quiet=1.5)
        await customer.say("ik wil graag met een medewerker praten")
        assert "collega" in texts(await customer.drain()).lower()

        async with httpx.AsyncClient(timeout=30) as client:
            headers = {"Authorization": f"Bearer {await staff_token(client, stack)}"}
            listed = (await client.get(f"{stack.inbox_url}/api/v1/tickets", headers=headers)).json()
            [ticket] = [t for t in listed["items"] if t["conversation_id"] == customer.session_id]
            url = f"{stack.inbox_url}/api/v1/tickets/{ticket['id']}"
            replied = await client.post(
                f"{url}/replies", headers=headers, json={"text": "Je retour is verwerkt."}
            )
            assert replied.status_code == 201, replied.text
            assert "Je retour is verwerkt." in texts(await customer.drain(quiet=2))
            resolved = await client.post(
                f"{url}/status", headers=headers, json={"status": "resolved"}
            )
            assert resolved.status_code == 200, resolved.text

            # The hand-back, then one question in the customer's language with 1-5 buttons.
            after = await customer.drain()
            assert "tevreden" in texts(after).lower(), after
            choices = buttons(after)
            assert list(choices) == ["1", "2", "3", "4", "5"], after
            await customer.say(choices["4"])
            offered = await customer.drain()
            assert "Nee, bedankt" in buttons(offered), offered
            await customer.say("Heel vriendelijk geholpen")
            assert "opmerking" in texts(await customer.drain()).lower()

            shown = (await client.get(url, headers=headers)).json()["csat"]
            assert (shown["rating"], shown["comment"]) == (4, "Heel vriendelijk geholpen")

            # Tapping a button again is thanked and ignored.
            await customer.say(choices["1"])
            assert "we hadden je antwoord" in texts(await customer.drain()).lower()
            assert (await client.get(url, headers=headers)).json()["csat"]["rating"] == 4
    finally:
        await customer.client.disconnect()
