"""Meta's channels in the inbox, end to end through the real Rasa server, action server, inbox
and the fake Graph API: the customer's name and the post on the ticket, the window rules on
both sides, the WhatsApp template, WhatsApp's status callbacks, Meta's refusals, the SLA report
by channel."""

from __future__ import annotations

import asyncio
import sqlite3
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from demo import meta_webhooks as hooks
from inbox_api.tickets.models import Ticket
from kit.clock import utc_now
from kit.database import create_engine
from tests.e2e.conftest import RunningStack
from tests.e2e.test_meta_channels import deliver, sent_to, texts, wait_for
from tests.e2e.test_support_loop import staff_token

pytestmark = pytest.mark.e2e


async def set_ticket(stack: RunningStack, ticket_id: int, **values: Any) -> None:
    """Change a ticket row in the stack's inbox database (to move time along)."""
    engine = create_engine(stack.database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(update(Ticket).where(Ticket.id == ticket_id).values(**values))
    finally:
        await engine.dispose()


def age_channel_store(stack: RunningStack, channel: str, sender: str, hours: float) -> None:
    """As if the customer's last message (as the connector knows it) were `hours` older."""
    with sqlite3.connect(stack.meta.store_path) as connection:
        moved = connection.execute(
            "UPDATE inbound SET at = at - ? WHERE channel = ? AND sender = ?",
            (hours * 3600, channel, sender),
        ).rowcount
    assert moved == 1


async def fake(stack: RunningStack, path: str, body: dict[str, Any]) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        (await client.post(f"{stack.meta.fake_root}{path}", json=body)).raise_for_status()


async def until(check: Callable[[], Awaitable[Any]], wait: float = 45) -> Any:
    deadline = time.monotonic() + wait
    while True:
        value = await check()
        if value or time.monotonic() > deadline:
            return value
        await asyncio.sleep(0.5)


class Agent:
    """The inbox API as the staff page uses it."""

    def __init__(self, stack: RunningStack, client: httpx.AsyncClient, token: str) -> None:
        self.stack, self.client = stack, client
        self.headers = {"Authorization": f"Bearer {token}"}

    async def ticket_of(self, conversation: str) -> dict[str, Any]:
        async def find() -> dict[str, Any] | None:
            page = (await self.client.get(f"{self.stack.inbox_url}/api/v1/tickets",
                                          headers=self.headers)).json()
            return next((t for t in page["items"] if t["conversation_id"] == conversation), None)

        found = await until(find)
        assert found, f"no ticket for {conversation}"
        return dict(found)

    async def detail(self, ticket_id: int) -> dict[str, Any]:
        answer = await self.client.get(f"{self.stack.inbox_url}/api/v1/tickets/{ticket_id}",
                                       headers=self.headers)
        return dict(answer.json())

    async def reply(self, ticket_id: int, language: str = "nl", **body: Any) -> httpx.Response:
        return await self.client.post(
            f"{self.stack.inbox_url}/api/v1/tickets/{ticket_id}/replies",
            headers={**self.headers, "Accept-Language": language}, json=body)

    async def message(self, ticket_id: int, text: str,
                      ready: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        async def look() -> dict[str, Any] | None:
            found = [m for m in (await self.detail(ticket_id))["messages"] if m["text"] == text]
            return found[0] if found and ready(found[0]) else None

        seen = await until(look)
        assert seen, (await self.detail(ticket_id))["messages"]
        return dict(seen)


async def test_whatsapp_ticket_name_statuses_window_and_template(stack: RunningStack) -> None:
    number = f"316{uuid.uuid4().int % 10**8:08d}"
    conversation = f"whatsapp-{number}"
    for text in ("hoi", "ik wil graag met een medewerker praten"):
        await deliver(stack, "whatsapp", hooks.whatsapp(stack.meta.phone_number_id, number,
                                                        hooks.whatsapp_text(text),
                                                        name="Fatima El Amrani"))
    async with httpx.AsyncClient(timeout=30) as client:
        agent = Agent(stack, client, await staff_token(client, stack))
        ticket = await agent.ticket_of(conversation)
        # The queue row: who (WhatsApp's contact name), where, and the window's end.
        assert (ticket["customer_name"], ticket["channel"]) == ("Fatima El Amrani", "whatsapp")
        closes = datetime.fromisoformat(ticket["reply_window_closes_at"])
        assert timedelta(hours=23) < closes - utc_now() <= timedelta(hours=24)

        text = f"Je pakket komt morgen ({uuid.uuid4().hex[:6]})"
        assert (await agent.reply(ticket["id"], text=text)).status_code == 201
        [sent] = [m for m in await wait_for(stack, number, lambda m: text in texts(m))
                  if m.get("text", {}).get("body") == text]
        async with httpx.AsyncClient(timeout=10) as graph:
            calls = (await graph.get(f"{stack.meta.fake_root}/_fake/requests")).json()
        wamid = next(c["answer"]["messages"][0]["id"] for c in calls
                     if c["body"] == sent and "messages" in c["answer"])
        # WhatsApp's callbacks reach the agent's view of the reply; a late one never goes back.
        for status in ("sent", "read", "delivered"):
            payload = {"object": "whatsapp_business_account", "entry": [{"id": "W", "changes": [{
                "field": "messages", "value": {"messaging_product": "whatsapp", "statuses": [{
                    "id": wamid, "status": status, "timestamp": str(int(time.time())),
                    "recipient_id": number}]}}]}]}
            assert (await deliver(stack, "whatsapp", payload)).status_code == 200
        shown = await agent.message(ticket["id"], text, lambda m: m["channel_status"] == "read")
        assert shown["delivery_state"] == "delivered"

        # 25 hours later, for the inbox and for the connector.
        await set_ticket(stack, ticket["id"],
                         reply_window_closes_at=utc_now() - timedelta(hours=1))
        age_channel_store(stack, "whatsapp", number, 25)
        refused = await agent.reply(ticket["id"], text="Nog een vraag?", language="en")
        assert refused.status_code == 409
        assert "only the approved template" in refused.json()["detail"]
        window = (await agent.detail(ticket["id"]))["reply_window"]
        assert window["state"] == "template_only"
        template = await agent.reply(ticket["id"], mode="template")
        assert template.status_code == 201, template.text
        assert template.json()["sent_as"] == "template"
        await wait_for(stack, number, lambda m: any(b.get("type") == "template" for b in m))
        sent_template = next(b for b in await sent_to(stack, number) if b.get("type") == "template")
        assert sent_template["template"] == {"name": "answer_ready", "language": {"code": "nl"}}
        delivered = await agent.message(ticket["id"], template.json()["text"],
                                        lambda m: m["delivery_state"] == "delivered")
        assert delivered["sent_as"] == "template"


async def test_a_refusal_by_meta_fails_the_reply_with_metas_reason(stack: RunningStack) -> None:
    psid = f"PSID{uuid.uuid4().hex[:10]}"
    await fake(stack, "/_fake/profiles", {"id": psid, "first_name": "Sem", "last_name": "Bakker"})
    for text in ("hoi", "ik wil graag met een medewerker praten"):
        await deliver(stack, "messenger", hooks.messaging("page", stack.meta.page_id, psid,
                                                          hooks.text_message(text)))
    async with httpx.AsyncClient(timeout=30) as client:
        agent = Agent(stack, client, await staff_token(client, stack))
        ticket = await agent.ticket_of(f"messenger-{psid}")
        # The name from the Graph profile call.
        assert ticket["customer_name"] == "Sem Bakker"
        await fake(stack, "/_fake/refuse", {
            "recipient": psid, "code": 551, "message": "This person isn't available right now."})
        text = f"Hoi Sem ({uuid.uuid4().hex[:6]})"
        assert (await agent.reply(ticket["id"], text=text)).status_code == 201
        failed = await agent.message(ticket["id"], text,
                                     lambda m: m["delivery_state"] == "failed")
        assert "code 551" in failed["delivery_error"]
        assert "isn't available" in failed["delivery_error"]


async def test_a_public_comment_ticket_shows_its_post_and_the_report_splits_by_channel(
    stack: RunningStack,
) -> None:
    page = stack.meta.page_id
    post = f"{page}_POST{uuid.uuid4().hex[:6]}"
    await fake(stack, "/_fake/profiles", {
        "id": post, "message": "Nieuw: de Lina wikkeljurk in bordeaux",
        "permalink_url": f"https://www.facebook.com/{post}"})
    comment = f"{page}_{uuid.uuid4().int % 10**12}"
    await deliver(stack, "messenger", hooks.page_comment(
        page, post, comment, "USER7", "Lotte", "ik wil graag met een medewerker praten"))
    async with httpx.AsyncClient(timeout=30) as client:
        agent = Agent(stack, client, await staff_token(client, stack))
        ticket = await agent.ticket_of(f"messenger_comment-{comment}")
        assert ticket["customer_name"] == "Lotte"
        assert ticket["reply_window_closes_at"] is None  # comments have no messaging window
        detail = await agent.detail(ticket["id"])
        assert detail["packet"]["post"] == {
            "id": post, "text": "Nieuw: de Lina wikkeljurk in bordeaux",
            "permalink": f"https://www.facebook.com/{post}"}
        # Public comments follow the `public` SLA policy: first response in 1 business hour.
        first = detail["sla"]["clocks"]["first_response"]
        budget = stack_calendar_minutes(first)
        assert budget is None or budget <= 60
        report = (await client.get(f"{stack.inbox_url}/api/v1/sla/report",
                                   headers=agent.headers)).json()
        assert report["by_channel"]["messenger_comment"]["tickets"] >= 1
        assert sum(p["tickets"] for p in report["by_channel"].values()) == report["tickets"]


def stack_calendar_minutes(clock: dict[str, Any]) -> float | None:
    """The clock's remaining business minutes right after escalation (None when paused)."""
    if clock["state"] not in ("running", "warning"):
        return None
    return float(clock["remaining_seconds"]) / 60
