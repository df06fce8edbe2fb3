"""Agent reply -> customer, through the real Rasa server: how long until the customer sees it.

Starts the real product (Rasa, action server, inbox, training worker) on a scratch PostgreSQL
database with Redis, connects customers to Rasa's socket.io channel as the chat widget does,
has each ask for a colleague (a real escalation through the action server), and then sends
agent replies through the inbox API. For every reply it measures the time from the agent's
POST to the moment the customer's socket receives the text: the outbox, the delivery worker,
Rasa's trigger_intent, the signed relay action and the socket.io push.

    .venv/bin/python -m benchmarks.inbox_reply_latency [--customers 20] [--replies 5]

Prints numbers; never fails on a time.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import socketio

from benchmarks.inbox_common import REDIS_URL, describe, scratch_database
from scripts.stack import DEMO_STAFF_EMAIL, Ports, Stack, free_port, prepare_data


class Customer:
    """One chat-widget customer on Rasa's socket.io channel."""

    def __init__(self, rasa_url: str) -> None:
        self.rasa_url = rasa_url
        self.session_id = f"bench-{uuid.uuid4().hex[:12]}"
        self.client = socketio.AsyncClient(reconnection=False)
        self.heard: dict[str, float] = {}
        self.arrived = asyncio.Event()

        @self.client.on("bot_uttered")
        async def on_bot(data: dict[str, Any]) -> None:
            if data.get("text"):
                self.heard[str(data["text"])] = time.perf_counter()
                self.arrived.set()

    async def start(self) -> None:
        await self.client.connect(
            self.rasa_url, socketio_path="/socket.io", transports=["websocket"]
        )
        await self.client.emit("session_request", {"session_id": self.session_id})
        await asyncio.sleep(0.3)
        await self.client.emit(
            "user_uttered",
            {"message": "ik wil graag met een medewerker praten", "session_id": self.session_id},
        )


async def _wait_for(predicate: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.5)
    raise TimeoutError(f"not all customers were escalated within {seconds:.0f} s")


async def run(stack: Stack, password: str, n_customers: int, n_replies: int) -> None:
    rasa_url = f"http://127.0.0.1:{stack.ports.rasa}"
    inbox = f"http://127.0.0.1:{stack.ports.inbox}"
    customers = [Customer(rasa_url) for _ in range(n_customers)]
    for customer in customers:
        await customer.start()
    async with httpx.AsyncClient(base_url=inbox, timeout=60) as client:
        login = await client.post(
            "/api/v1/auth/login", json={"email": DEMO_STAFF_EMAIL, "password": password}
        )
        login.raise_for_status()
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        tickets: dict[str, int] = {}

        async def all_escalated() -> bool:
            listed = await client.get("/api/v1/tickets", headers=headers, params={"limit": 200})
            for item in listed.json()["items"]:
                tickets[item["conversation_id"]] = item["id"]
            return all(c.session_id in tickets for c in customers)

        await _wait_for(all_escalated, 300)
        await asyncio.sleep(2)  # the escalation promises have arrived; only replies follow
        latencies: list[float] = []
        lost = 0

        async def reply(customer: Customer, n: int) -> None:
            nonlocal lost
            text = f"Antwoord {n} voor u ({uuid.uuid4().hex[:6]})"
            started = time.perf_counter()
            sent = await client.post(
                f"/api/v1/tickets/{tickets[customer.session_id]}/replies",
                headers=headers, json={"text": text},
            )
            sent.raise_for_status()
            try:
                async with asyncio.timeout(30):
                    while text not in customer.heard:
                        customer.arrived.clear()
                        await customer.arrived.wait()
            except TimeoutError:
                lost += 1
                return
            latencies.append(customer.heard[text] - started)

        wall_start = time.perf_counter()
        for n in range(n_replies):
            # Every customer gets a reply at about the same moment: a team answering together.
            await asyncio.gather(*(reply(c, n) for c in customers))
        wall = time.perf_counter() - wall_start
        print(describe(f"agent reply -> customer ({n_customers} chats)", latencies, wall))
        print(f"replies not seen within 30 s: {lost}")
    for customer in customers:
        await customer.client.disconnect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--replies", type=int, default=5)
    args = parser.parse_args()
    password = secrets.token_urlsafe(12)
    with scratch_database() as database_url, tempfile.TemporaryDirectory() as work:
        env = {
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}",
            "RASA_TOKEN": secrets.token_urlsafe(24),
            "INBOX_SERVICE_TOKEN": secrets.token_urlsafe(24),
            "ACTION_SERVER_TOKEN": secrets.token_urlsafe(24),
            "INBOX_JWT_SECRET": secrets.token_urlsafe(32),
            "DELIVERY_SIGNING_SECRET": secrets.token_urlsafe(32),
            "DEMO_STAFF_PASSWORD": password,
        }
        prepare_data(env)
        ports = Ports(rasa=free_port(), actions=free_port(), inbox=free_port())
        stack = Stack(env=env, ports=ports, log_dir=Path(work) / "log")
        stack.start()
        try:
            print("PostgreSQL + Redis, one Rasa, one action server, inbox workers as make run")
            asyncio.run(run(stack, password, args.customers, args.replies))
        finally:
            stack.stop()


if __name__ == "__main__":
    main()
