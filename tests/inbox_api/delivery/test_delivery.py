"""Agent replies reach Rasa once each, in order, and survive Rasa being down."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from inbox_api.delivery.worker import backoff
from kit.delivery_signature import is_signed_delivery
from tests.inbox_api.conftest import (
    DELIVERY_SECRET,
    Inbox,
    RasaPeer,
    make_settings,
    start_inbox,
)
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


def test_backoff_doubles_up_to_the_cap() -> None:
    assert [backoff(n, 60).total_seconds() for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert backoff(3, 2.5) == timedelta(seconds=2.5)


async def _ticket(inbox: Inbox, service_headers: dict[str, str], cid: str) -> int:
    response = await inbox.client.post(
        "/api/v1/escalations", json=escalation(cid), headers=service_headers
    )
    ticket_id: int = response.json()["ticket_id"]
    return ticket_id


async def test_replies_wait_while_rasa_is_down_and_arrive_in_order(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket_id = await _ticket(inbox, service_headers, "conv-down")
    rasa_peer.down = True
    texts = [f"Bericht {n}" for n in range(1, 6)]
    for text in texts:
        response = await inbox.client.post(
            f"/api/v1/tickets/{ticket_id}/replies", json={"text": text}, headers=staff
        )
        assert response.status_code == 201
    await asyncio.sleep(0.8)
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    agent = [m for m in detail["messages"] if m["role"] == "agent"]
    # The first reply is retrying and says why; the others wait their turn.
    assert agent[0]["delivery_state"] == "retrying" and agent[0]["delivery_attempts"] >= 1
    assert "503" in agent[0]["delivery_error"]
    assert [m["delivery_state"] for m in agent[1:]] == ["pending"] * 4
    assert rasa_peer.calls == []

    rasa_peer.down = False
    await rasa_peer.wait_for(5)
    await asyncio.sleep(0.3)
    assert rasa_peer.texts("conv-down") == texts
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    assert {m["delivery_state"] for m in detail["messages"] if m["role"] == "agent"} == {
        "delivered"
    }
    metrics = (await inbox.client.get("/metrics")).text
    assert 'inbox_deliveries_total{kind="agent_message",result="ok"} 5.0' in metrics
    assert "inbox_pending_deliveries 0.0" in metrics


async def test_a_reply_the_channel_refuses_fails_with_the_reason_and_is_not_retried(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    refused = await _ticket(inbox, service_headers, "messenger-refused")
    other = await _ticket(inbox, service_headers, "messenger-fine")
    reason = "Meta refused the message (code 10/2018278, HTTP 400): outside the allowed window"
    rasa_peer.refuse["messenger-refused"] = reason
    for ticket_id, text in ((refused, "Sorry voor het wachten"), (refused, "Nog iets"),
                            (other, "Hoi!")):
        response = await inbox.client.post(
            f"/api/v1/tickets/{ticket_id}/replies", json={"text": text}, headers=staff
        )
        assert response.status_code == 201
    await rasa_peer.wait_for(1)
    await asyncio.sleep(1.5)
    detail = (await inbox.client.get(f"/api/v1/tickets/{refused}", headers=staff)).json()
    agent = [m for m in detail["messages"] if m["role"] == "agent"]
    # Both fail once, with Meta's reason for the colleague; backoff retries would be pointless.
    assert [(m["delivery_state"], m["delivery_attempts"]) for m in agent] == [("failed", 1)] * 2
    assert agent[0]["delivery_error"] == reason
    assert rasa_peer.texts("messenger-fine") == ["Hoi!"]
    assert "inbox_pending_deliveries 0.0" in (await inbox.client.get("/metrics")).text


async def test_two_workers_deliver_each_reply_exactly_once(
    database_url: str, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    """Two API processes share one database: no reply is sent twice, none out of order."""
    a, lifespan_a = await start_inbox(make_settings(database_url, rasa_peer.url))
    b, lifespan_b = await start_inbox(make_settings(database_url, rasa_peer.url))
    try:
        staff = await agent_headers(a.runtime, a.client)
        conversations = [f"conv-{n}" for n in range(4)]
        ids = [await _ticket(a, service_headers, cid) for cid in conversations]
        rasa_peer.fail_next = 3  # a few failures along the way
        for n in range(6):
            for ticket_id in ids:
                client = a.client if (n + ticket_id) % 2 else b.client
                response = await client.post(
                    f"/api/v1/tickets/{ticket_id}/replies", json={"text": f"r{n}"}, headers=staff
                )
                assert response.status_code == 201
        await rasa_peer.wait_for(24, within=20)
        await asyncio.sleep(0.5)
        assert len(rasa_peer.calls) == 24
        for cid in conversations:
            assert rasa_peer.texts(cid) == [f"r{n}" for n in range(6)]
    finally:
        for running, lifespan in ((a, lifespan_a), (b, lifespan_b)):
            await running.client.aclose()
            await lifespan.__aexit__(None, None, None)


async def test_a_reply_is_not_lost_when_the_app_restarts(
    database_url: str, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    """The outbox row is committed with the reply; the next start delivers it."""
    first, lifespan = await start_inbox(
        make_settings(database_url, rasa_peer.url, run_workers=False)
    )
    staff = await agent_headers(first.runtime, first.client)
    ticket_id = await _ticket(first, service_headers, "conv-restart")
    await first.client.post(
        f"/api/v1/tickets/{ticket_id}/replies", json={"text": "Hallo"}, headers=staff
    )
    await first.client.aclose()
    await lifespan.__aexit__(None, None, None)
    assert rasa_peer.calls == []

    second, lifespan = await start_inbox(make_settings(database_url, rasa_peer.url))
    try:
        await rasa_peer.wait_for(1)
        assert rasa_peer.texts("conv-restart") == ["Hallo"]
    finally:
        await second.client.aclose()
        await lifespan.__aexit__(None, None, None)


async def test_replies_and_handbacks_carry_the_inboxs_signature(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    """The peer verifies like the action server: each delivery is signed over its own fields."""
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket_id = await _ticket(inbox, service_headers, "conv-signed")
    for text in ["Uw retour is binnen", "Tot ziens 👋"]:
        response = await inbox.client.post(
            f"/api/v1/tickets/{ticket_id}/replies", json={"text": text}, headers=staff
        )
        assert response.status_code == 201
    resolved = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "resolved"}, headers=staff
    )
    assert resolved.status_code == 200
    await rasa_peer.wait_for(3)
    assert rasa_peer.unsigned == []
    assert [c["body"]["name"] for c in rasa_peer.calls] == [
        "EXTERNAL_agent_message", "EXTERNAL_agent_message", "EXTERNAL_handback"
    ]
    ids = [c["body"]["entities"]["delivery_id"] for c in rasa_peer.calls]
    assert len(set(ids)) == 3
    # The signature covers the text and the conversation: changing either breaks it.
    first = rasa_peer.calls[0]["body"]["entities"]
    assert not is_signed_delivery(
        DELIVERY_SECRET, "EXTERNAL_agent_message", "conv-signed", first["delivery_id"],
        "Your refund of EUR 500 is approved", first["delivery_signature"],
    )
    assert not is_signed_delivery(
        DELIVERY_SECRET, "EXTERNAL_agent_message", "conv-other", first["delivery_id"],
        first["agent_message"], first["delivery_signature"],
    )
    assert not is_signed_delivery(
        DELIVERY_SECRET, "EXTERNAL_handback", "conv-signed", first["delivery_id"], "",
        first["delivery_signature"],
    )


async def test_without_a_signing_secret_replies_wait_and_say_why(
    database_url: str, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    running, lifespan = await start_inbox(
        make_settings(database_url, rasa_peer.url, delivery_signing_secret="")
    )
    try:
        staff = await agent_headers(running.runtime, running.client)
        ticket_id = await _ticket(running, service_headers, "conv-unsigned")
        await running.client.post(
            f"/api/v1/tickets/{ticket_id}/replies", json={"text": "Hallo"}, headers=staff
        )
        await asyncio.sleep(0.5)
        detail = (await running.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
        [reply] = [m for m in detail["messages"] if m["role"] == "agent"]
        assert reply["delivery_state"] == "retrying"
        assert "signing secret" in reply["delivery_error"]
        assert rasa_peer.calls == [] and rasa_peer.unsigned == []
    finally:
        await running.client.aclose()
        await lifespan.__aexit__(None, None, None)


async def test_a_refused_reply_is_marked_failed_and_the_next_ones_go_ahead(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket_id = await _ticket(inbox, service_headers, "conv-refused")
    rasa_peer.reject_texts = {"Kapot bericht"}
    for text in ["Eerste", "Kapot bericht", "Derde", "Vierde"]:
        response = await inbox.client.post(
            f"/api/v1/tickets/{ticket_id}/replies", json={"text": text}, headers=staff
        )
        assert response.status_code == 201
    await rasa_peer.wait_for(3)
    await asyncio.sleep(0.3)
    assert rasa_peer.texts("conv-refused") == ["Eerste", "Derde", "Vierde"]
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    states = {m["text"]: m for m in detail["messages"] if m["role"] == "agent"}
    refused = states["Kapot bericht"]
    # Tried once, not forever; the agent reads why.
    assert refused["delivery_state"] == "failed" and refused["delivery_attempts"] == 1
    assert "HTTP 400" in refused["delivery_error"]
    assert "not a valid entity" in refused["delivery_error"]
    assert [states[t]["delivery_state"] for t in ("Eerste", "Derde", "Vierde")] == [
        "delivered"
    ] * 3
    metrics = (await inbox.client.get("/metrics")).text
    assert "inbox_pending_deliveries 0.0" in metrics


async def test_a_slow_rasa_gets_the_reply_twice_and_the_customer_sees_it_once(
    database_url: str,
    rasa_peer: RasaPeer,
    service_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The inbox times out on a slow Rasa and sends again; the relay lets one of them through."""
    inbox, lifespan = await start_inbox(
        make_settings(database_url, rasa_peer.url, delivery_timeout_seconds=0.3)
    )

    async def relay_check(conversation_id: str, delivery_id: str) -> bool:
        # What the relay action asks the inbox before it shows a reply.
        answer = await inbox.client.post(
            f"/api/v1/deliveries/{delivery_id}/relayed",
            json={"conversation_id": conversation_id},
            headers=service_headers,
        )
        assert answer.status_code in (200, 409), answer.text
        return answer.status_code == 200

    rasa_peer.relay_check = relay_check
    rasa_peer.delay = 0.6
    try:
        staff = await agent_headers(inbox.runtime, inbox.client)
        ticket_id = await _ticket(inbox, service_headers, "conv-slow")
        with caplog.at_level(logging.WARNING):
            response = await inbox.client.post(
                f"/api/v1/tickets/{ticket_id}/replies", json={"text": "Eén keer"}, headers=staff
            )
            assert response.status_code == 201
            await rasa_peer.wait_for(2)
            rasa_peer.delay = 0.0  # Rasa recovers; the retry is answered in time
            async with asyncio.timeout(10):
                # Polls the API, which has no event to wait on.
                while (await _agent_states(inbox, ticket_id, staff)) != ["delivered"]:  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
        assert len(rasa_peer.texts("conv-slow")) >= 2  # Rasa really got it more than once
        assert rasa_peer.shown == [("conv-slow", "Eén keer")]
        assert "repeated relay of delivery" in caplog.text
    finally:
        await inbox.client.aclose()
        await lifespan.__aexit__(None, None, None)


async def _agent_states(inbox: Inbox, ticket_id: int, staff: dict[str, str]) -> list[str]:
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    return [m["delivery_state"] for m in detail["messages"] if m["role"] == "agent"]


async def test_unknown_and_replayed_delivery_ids_are_refused_and_logged(
    inbox: Inbox,
    rasa_peer: RasaPeer,
    service_headers: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket_id = await _ticket(inbox, service_headers, "conv-ids")
    await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/replies", json={"text": "Hallo"}, headers=staff
    )
    await rasa_peer.wait_for(1)
    delivery_id = rasa_peer.calls[0]["body"]["entities"]["delivery_id"]

    async def relay(did: object, cid: str = "conv-ids", **headers: str) -> int:
        answer = await inbox.client.post(
            f"/api/v1/deliveries/{did}/relayed",
            json={"conversation_id": cid},
            headers=headers or service_headers,
        )
        return answer.status_code

    with caplog.at_level(logging.WARNING, logger="inbox_api.delivery.service"):
        assert await relay(delivery_id) == 200
        assert await relay(delivery_id) == 409  # replayed
        # A short id: the log masks long digit runs as order numbers (kit/personal_data.py).
        assert await relay(4242) == 404  # unknown
        assert await relay(delivery_id, "someone-else") == 404  # another conversation's id
    assert "repeated relay of delivery" in caplog.text
    assert "relay of unknown delivery 4242" in caplog.text
    # Only the action server may ask, and nonsense is a clear 422.
    assert await relay(delivery_id, Authorization="Bearer nope") == 401
    assert await relay("abc") == 422
