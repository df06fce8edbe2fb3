"""An agent's reply reaches the customer once, even when Rasa answers the inbox too late.

The inbox reaches the real Rasa server through a proxy that holds back Rasa's answer to the
first delivery of each conversation for longer than the inbox waits. Rasa has already shown the
reply, the inbox sees a timeout and delivers again; the relay action asks the inbox
(POST /api/v1/deliveries/{id}/relayed), learns the reply went out already and drops the repeat.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from aiohttp import ClientSession, web

from scripts.stack import free_port
from tests.e2e.conftest import RunningStack, running_stack
from tests.e2e.test_support_loop import WidgetCustomer, staff_token

pytestmark = pytest.mark.e2e

# The inbox gives up on Rasa after this long; the proxy holds the first answer longer.
DELIVERY_TIMEOUT = 3.0
HOLD_BACK = 8.0
HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection"}


class SlowRasa:
    """A reverse proxy to Rasa that answers the first trigger_intent per conversation late."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.upstream = ""
        self.deliveries: Counter[str] = Counter()
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._runner: web.AppRunner | None = None

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_HEADERS}
        async with ClientSession() as session, session.request(
            request.method, self.upstream + request.path_qs, data=body, headers=headers
        ) as upstream:
            payload = await upstream.read()
            status, content_type = upstream.status, upstream.content_type
        if request.path.endswith("/trigger_intent"):
            conversation = request.path.split("/")[2]
            self.deliveries[conversation] += 1
            if self.deliveries[conversation] == 1:
                # Rasa has answered (the customer saw the reply); the inbox hears it too late.
                await asyncio.sleep(HOLD_BACK)
        return web.Response(status=status, body=payload, content_type=content_type)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        self._loop.run_until_complete(site.start())
        self._started.set()
        self._loop.run_forever()

    def start(self) -> None:
        self._thread.start()
        assert self._started.wait(10), "the proxy did not start"

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture(scope="module")
def slow_stack(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RunningStack, SlowRasa]]:
    proxy = SlowRasa(free_port())
    proxy.start()
    extra = {
        "INBOX_RASA_URL": f"http://127.0.0.1:{proxy.port}",
        "INBOX_DELIVERY_TIMEOUT_SECONDS": str(DELIVERY_TIMEOUT),
    }
    try:
        with running_stack(tmp_path_factory.mktemp("slow-rasa"), extra_env=extra) as stack:
            proxy.upstream = stack.rasa_url
            yield stack, proxy
    finally:
        proxy.stop()


async def _reply_states(
    client: httpx.AsyncClient, stack: RunningStack, ticket_id: int, headers: dict[str, str]
) -> list[dict[str, Any]]:
    detail = await client.get(f"{stack.inbox_url}/api/v1/tickets/{ticket_id}", headers=headers)
    assert detail.status_code == 200, detail.text
    return [m for m in detail.json()["messages"] if m["role"] == "agent"]


async def test_a_reply_rasa_acknowledged_too_late_reaches_the_customer_once(
    slow_stack: tuple[RunningStack, SlowRasa],
) -> None:
    stack, proxy = slow_stack
    customer = WidgetCustomer(stack.rasa_url)
    await customer.connect()
    try:
        await customer.say("ik wil graag met een medewerker praten")
        # The first answer of a fresh Rasa process can take long on a busy machine.
        promise = " ".join([await customer.next_text(wait=120), *await customer.drain()])
        assert "collega" in promise.lower(), promise

        async with httpx.AsyncClient(timeout=30) as client:
            headers = {"Authorization": f"Bearer {await staff_token(client, stack)}"}
            listed = (await client.get(f"{stack.inbox_url}/api/v1/tickets", headers=headers))
            assert listed.status_code == 200, listed.text
            items = listed.json()["items"]
            ticket_id = next(t["id"] for t in items if t["conversation_id"] == customer.session_id)

            first = f"Ik kijk het na ({uuid.uuid4().hex[:6]})."
            sent = await client.post(
                f"{stack.inbox_url}/api/v1/tickets/{ticket_id}/replies",
                headers=headers, json={"text": first},
            )
            assert sent.status_code in (200, 201), sent.text

            # Wait until the inbox has settled the delivery after its retry.
            async with asyncio.timeout(90):
                while True:
                    replies = await _reply_states(client, stack, ticket_id, headers)
                    if replies and replies[0]["delivery_state"] in ("delivered", "failed"):
                        break
                    await asyncio.sleep(0.5)
            assert replies[0]["delivery_state"] == "delivered", replies
            # The proxy really made the inbox try again: otherwise this test proves nothing.
            assert proxy.deliveries[customer.session_id] >= 2, proxy.deliveries
            assert replies[0]["delivery_attempts"] >= 2, replies

            # The customer saw the reply exactly once, then a later reply arrives normally.
            second = f"Het pakket is onderweg ({uuid.uuid4().hex[:6]})."
            sent = await client.post(
                f"{stack.inbox_url}/api/v1/tickets/{ticket_id}/replies",
                headers=headers, json={"text": second},
            )
            assert sent.status_code in (200, 201), sent.text
            seen = await customer.drain(quiet=HOLD_BACK + 4)
            assert seen.count(first) == 1, seen
            assert seen.count(second) == 1, seen
            assert seen.index(first) < seen.index(second), seen
    finally:
        await customer.client.disconnect()
