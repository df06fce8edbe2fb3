"""Tickets from Meta's channels: the customer's name, the post, Meta's window in the queue and
the reply box (enforced by the server), the WhatsApp template and WhatsApp's status callbacks."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from inbox_api.delivery.models import Delivery
from inbox_api.runtime import pop_after_commit, run_after_commit
from inbox_api.sla import service as sla
from inbox_api.tickets.models import Ticket
from kit.clock import utc_now
from tests.inbox_api.conftest import Inbox, RasaPeer
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


async def _escalate(
    inbox: Inbox, headers: dict[str, str], conversation: str, channel: str, **extra: Any
) -> int:
    body = {**escalation(conversation, channel=channel), **extra}
    created = await inbox.client.post("/api/v1/escalations", json=body, headers=headers)
    assert created.status_code == 201, created.text
    return int(created.json()["ticket_id"])


async def _move_window(inbox: Inbox, ticket_id: int, closes_in: timedelta) -> None:
    """As if the customer's latest message were `24 h - closes_in` ago."""
    async with inbox.runtime.sessions() as session:
        await session.execute(
            update(Ticket)
            .where(Ticket.id == ticket_id)
            .values(reply_window_closes_at=utc_now() + closes_in)
        )
        await session.commit()


async def test_the_ticket_names_the_customer_and_shows_the_post(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    named = await _escalate(
        inbox, service_headers, "messenger_comment-PAGE_77", "messenger_comment",
        customer_name="  Anna   de Vries ",
        post={"id": "PAGE_POST1", "text": "Onze nieuwe wintercollectie ❄️",
              "permalink": "https://www.facebook.com/linde/posts/1"},
    )
    unnamed = await _escalate(inbox, service_headers, "whatsapp-31612345678", "whatsapp",
                              post={"id": "X", "permalink": "javascript:alert(1)"})
    queue = (await inbox.client.get("/api/v1/tickets", headers=staff)).json()["items"]
    names = {t["id"]: t["customer_name"] for t in queue}
    assert names[named] == "Anna de Vries"
    # No name from the platform: the channel and the id's last four digits, never the number.
    assert names[unnamed] == "WhatsApp ···5678"
    detail = (await inbox.client.get(f"/api/v1/tickets/{named}", headers=staff)).json()
    assert detail["customer_name"] == "Anna de Vries"
    assert detail["packet"]["post"] == {
        "id": "PAGE_POST1", "text": "Onze nieuwe wintercollectie ❄️",
        "permalink": "https://www.facebook.com/linde/posts/1"}
    other = (await inbox.client.get(f"/api/v1/tickets/{unnamed}", headers=staff)).json()
    assert other["packet"]["post"]["permalink"] is None


async def test_tickets_whose_window_closes_before_their_deadline_come_first(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    web = await _escalate(inbox, service_headers, "web-1", "socketio")
    early = await _escalate(inbox, service_headers, "messenger-EARLY", "messenger")
    late = await _escalate(inbox, service_headers, "instagram-LATE", "instagram")
    closed = await _escalate(inbox, service_headers, "whatsapp-3161111", "whatsapp")
    # Every SLA deadline is hours away; one window closes in 20 minutes, one after the
    # deadlines, one has already closed (nothing to win by answering it first any more).
    await _move_window(inbox, early, timedelta(minutes=20))
    await _move_window(inbox, late, timedelta(days=5))
    await _move_window(inbox, closed, -timedelta(minutes=5))
    queue = (await inbox.client.get("/api/v1/tickets", headers=staff)).json()["items"]
    order = [t["id"] for t in queue]
    assert order[0] == early
    assert sorted(order[1:]) == sorted([web, late, closed])
    row = next(t for t in queue if t["id"] == early)
    assert row["channel"] == "messenger"
    assert row["reply_window_closes_at"] is not None
    assert next(t for t in queue if t["id"] == web)["reply_window_closes_at"] is None


async def test_past_the_window_the_server_refuses_and_says_why_in_the_agents_language(
    inbox: Inbox, service_headers: dict[str, str], rasa_peer: RasaPeer
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    wa = await _escalate(inbox, service_headers, "whatsapp-31622222222", "whatsapp")
    ms = await _escalate(inbox, service_headers, "messenger-OLD", "messenger")
    await _move_window(inbox, wa, -timedelta(hours=2))
    await _move_window(inbox, ms, -timedelta(days=7))

    refused = await inbox.client.post(
        f"/api/v1/tickets/{wa}/replies", json={"text": "Hier is je antwoord"},
        headers={**staff, "Accept-Language": "nl"},
    )
    assert refused.status_code == 409
    assert "WhatsApp-venster van 24 uur is gesloten" in refused.json()["detail"]
    refused = await inbox.client.post(
        f"/api/v1/tickets/{ms}/replies", json={"text": "Still there?"},
        headers={**staff, "Accept-Language": "en-GB,en;q=0.8"},
    )
    assert refused.status_code == 409
    assert "even with the HUMAN_AGENT tag" in refused.json()["detail"]
    # The template is WhatsApp's way only: not for Messenger.
    refused = await inbox.client.post(
        f"/api/v1/tickets/{ms}/replies", json={"mode": "template"}, headers=staff
    )
    assert refused.status_code == 409
    assert "only for WhatsApp after 24 hours" in refused.json()["detail"]

    sent = await inbox.client.post(
        f"/api/v1/tickets/{wa}/replies", json={"mode": "template"}, headers=staff
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["sent_as"] == "template"
    assert sent.json()["text"] == "We hebben een antwoord voor je — reageer om verder te gaan."
    await rasa_peer.wait_for(1)
    # Through Rasa as the marker the relay turns into the approved template (contracts.md).
    assert rasa_peer.texts("whatsapp-31622222222") == ["[[template:answer_ready:nl]]"]
    nobody = await inbox.client.post(
        f"/api/v1/tickets/{wa}/replies", json={"text": "[[template:answer_ready:en]]"},
        headers=staff,
    )
    assert nobody.status_code == 422


async def test_between_24_hours_and_7_days_replies_go_with_the_human_agent_tag(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket = await _escalate(inbox, service_headers, "instagram-WEEKEND", "instagram")
    inside = await inbox.client.post(
        f"/api/v1/tickets/{ticket}/replies", json={"text": "Hoi!"}, headers=staff
    )
    assert inside.json()["sent_as"] is None
    await _move_window(inbox, ticket, -timedelta(days=2))
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket}", headers=staff)).json()
    assert detail["reply_window"]["state"] == "human_agent"
    later = await inbox.client.post(
        f"/api/v1/tickets/{ticket}/replies", json={"text": "Sorry voor het wachten"},
        headers=staff,
    )
    assert later.status_code == 201
    assert later.json()["sent_as"] == "human_agent"


async def test_whatsapp_statuses_land_on_the_reply(
    inbox: Inbox, service_headers: dict[str, str], rasa_peer: RasaPeer
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket = await _escalate(inbox, service_headers, "whatsapp-31633333333", "whatsapp")
    reply = await inbox.client.post(
        f"/api/v1/tickets/{ticket}/replies", json={"text": "Je pakket komt morgen"},
        headers=staff,
    )
    message_id = reply.json()["id"]
    await rasa_peer.wait_for(1)
    async with inbox.runtime.sessions() as session:
        delivery_id = await session.scalar(
            select(Delivery.id).where(Delivery.message_id == message_id)
        )

    async def status(value: str, **extra: Any) -> int:
        answer = await inbox.client.post(
            f"/api/v1/deliveries/{delivery_id}/channel-status",
            json={"status": value, "at": utc_now().isoformat(), **extra},
            headers=service_headers,
        )
        return answer.status_code

    async def shown() -> dict[str, Any]:
        detail = (await inbox.client.get(f"/api/v1/tickets/{ticket}", headers=staff)).json()
        return next(m for m in detail["messages"] if m["id"] == message_id)

    unauthorised = await inbox.client.post(
        f"/api/v1/deliveries/{delivery_id}/channel-status",
        json={"status": "read", "at": utc_now().isoformat()}, headers=staff,
    )
    assert unauthorised.status_code in (401, 403)
    async with inbox.runtime.broadcaster.subscribe() as events:
        assert await status("delivered") == 200
        event = await asyncio.wait_for(events.get(), 5)
        while "channel_status" not in event:  # the delivery's own event may come first
            event = await asyncio.wait_for(events.get(), 5)
    assert event["channel_status"] == "delivered" and event["ticket_id"] == ticket
    assert (await shown())["channel_status"] == "delivered"
    assert await status("read") == 200
    assert await status("delivered") == 200  # late and out of order: read stays
    assert (await shown())["channel_status"] == "read"
    assert await status("sent") == 200
    assert (await shown())["channel_status"] == "read"
    assert await status("read", error=None) == 200
    assert await status("failed", error="Meta: (#131047) Re-engagement message") == 200
    failed = await shown()
    assert (failed["channel_status"], failed["delivery_state"]) == ("failed", "failed")
    assert "131047" in failed["delivery_error"]
    assert await status("read") == 200
    assert (await shown())["channel_status"] == "failed"
    missing = await inbox.client.post(
        "/api/v1/deliveries/999999/channel-status",
        json={"status": "read", "at": utc_now().isoformat()}, headers=service_headers,
    )
    assert missing.status_code == 404


async def test_a_warning_fires_once_at_two_hours_left(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    ticket_id = await _escalate(inbox, service_headers, "messenger-WARN", "messenger")
    runtime = inbox.runtime
    async with runtime.sessions() as session:
        ticket = await session.get(Ticket, ticket_id)
        assert ticket is not None and ticket.reply_window_closes_at is not None
        closes = ticket.reply_window_closes_at
        # The timer is planned for the warning (or an SLA threshold before it).
        assert ticket.sla_next_check_at is not None
        assert ticket.sla_next_check_at <= closes - timedelta(hours=2)
        async with runtime.broadcaster.subscribe() as events:
            _, _ = await sla.refresh(session, runtime, ticket, closes - timedelta(hours=3))
            await session.commit()
            assert ticket.window_warned_for is None
            await sla.refresh(session, runtime, ticket, closes - timedelta(minutes=119))
            await session.commit()
            await run_after_commit(pop_after_commit(session))
            seen = []
            while not events.empty():
                seen.append(events.get_nowait())
            warnings = [e for e in seen if e["type"] == "window.warning"]
            assert [w["ticket_id"] for w in warnings] == [ticket_id]
            assert warnings[0]["channel"] == "messenger"
            # A second check of the same window says nothing again.
            await sla.refresh(session, runtime, ticket, closes - timedelta(minutes=60))
            await session.commit()
            await run_after_commit(pop_after_commit(session))
            again = []
            while not events.empty():
                again.append(events.get_nowait())
            assert not [e for e in again if e["type"] == "window.warning"]
