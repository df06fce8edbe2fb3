"""The whole support loop with real processes: answer, escalate, agent reply, hand-back."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest
import socketio

from tests.e2e.conftest import RunningStack

pytestmark = pytest.mark.e2e


async def say_rest(stack: RunningStack, sender: str, text: str) -> list[str]:
    """Send one message on the REST channel; the bot's texts come back in the answer."""
    async with httpx.AsyncClient(timeout=60) as client:
        response = await client.post(
            f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
        )
    response.raise_for_status()
    return [m["text"] for m in response.json() if "text" in m]


async def staff_token(client: httpx.AsyncClient, stack: RunningStack) -> str:
    response = await client.post(
        f"{stack.inbox_url}/api/v1/auth/login",
        json={"email": stack.staff_email, "password": stack.staff_password},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


class WidgetCustomer:
    """A customer on the socket.io channel, as the brand page's chat widget connects."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session_id = f"e2e-{uuid.uuid4().hex[:12]}"
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: asyncio.Queue[str] = asyncio.Queue()

        @self.client.on("bot_uttered")
        async def on_bot(data: dict[str, Any]) -> None:
            if data.get("text"):
                await self.received.put(data["text"])

    async def connect(self) -> None:
        await self.client.connect(self.url, socketio_path="/socket.io", transports=["websocket"])
        await self.client.emit("session_request", {"session_id": self.session_id})
        await asyncio.sleep(0.5)

    async def say(self, text: str) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})

    async def next_text(self, wait: float = 60) -> str:
        return await asyncio.wait_for(self.received.get(), wait)

    async def drain(self, quiet: float = 3.0) -> list[str]:
        """Every text that arrives until the bot has been quiet for `quiet` seconds."""
        texts: list[str] = []
        while True:
            try:
                texts.append(await asyncio.wait_for(self.received.get(), quiet))
            except TimeoutError:
                return texts


@pytest.mark.parametrize(
    ("greeting", "question", "greeting_word", "price"),
    [
        ("hello there", "how much is the Lina wrap dress?", "help", "€79.95"),
        ("hoi", "wat kost de Lina wikkeljurk?", "helpen", "€ 79,95"),
    ],
    ids=["en", "nl"],
)
async def test_greeting_and_price_from_the_catalogue(
    stack: RunningStack, greeting: str, question: str, greeting_word: str, price: str
) -> None:
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    greeted = " ".join(await say_rest(stack, sender, greeting))
    assert greeting_word in greeted.lower()
    answer = " ".join(await say_rest(stack, sender, question))
    # The price is formatted for the customer's language and comes from the seeded catalogue.
    assert price in answer


async def test_escalation_agent_reply_and_handback_on_the_customers_channel(
    stack: RunningStack,
) -> None:
    customer = WidgetCustomer(stack.rasa_url)
    await customer.connect()
    try:
        await customer.say("hoi")
        assert "helpen" in (await customer.next_text()).lower()
        await customer.drain(quiet=1.5)

        # A request no intent covers: the assistant escalates and promises a time.
        await customer.say("ik wil graag met een medewerker praten")
        promise = " ".join(await customer.drain())
        assert "collega" in promise.lower(), promise

        async with httpx.AsyncClient(timeout=30) as client:
            headers = {"Authorization": f"Bearer {await staff_token(client, stack)}"}
            listed = await client.get(f"{stack.inbox_url}/api/v1/tickets", headers=headers)
            assert listed.status_code == 200, listed.text
            body = listed.json()
            items = body["items"] if isinstance(body, dict) else body
            ours = [t for t in items if t["conversation_id"] == customer.session_id]
            assert len(ours) == 1, items
            detail_url = f"{stack.inbox_url}/api/v1/tickets/{ours[0]['id']}"
            ticket = (await client.get(detail_url, headers=headers)).json()
            assert ticket["language"] == "nl"
            assert ticket["channel"] == "socketio"
            due = datetime.fromisoformat(ticket["sla"]["first_response_due_at"])
            assert due.tzinfo is not None

            # While a human owns the conversation the assistant stays silent.
            await customer.say("hallo? is daar iemand?")
            assert await customer.drain(quiet=4) == []

            reply_text = f"Hoi! Ik kijk er meteen naar ({uuid.uuid4().hex[:6]})."
            replied = await client.post(
                f"{stack.inbox_url}/api/v1/tickets/{ticket['id']}/replies",
                headers=headers, json={"text": reply_text},
            )
            assert replied.status_code in (200, 201), replied.text
            assert await customer.next_text(wait=30) == reply_text

            resolved = await client.post(
                f"{stack.inbox_url}/api/v1/tickets/{ticket['id']}/status",
                headers=headers, json={"status": "resolved"},
            )
            assert resolved.status_code == 200, resolved.text
            handback = await customer.next_text(wait=30)
            assert handback and handback != reply_text

        # Back with the assistant: it answers a product question again, in Dutch.
        await customer.say("wat kost de Lina wikkeljurk?")
        assert "€ 79,95" in " ".join(await customer.drain())
    finally:
        await customer.client.disconnect()
