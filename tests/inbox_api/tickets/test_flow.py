"""The ticket life cycle through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import datetime

from kit.delivery_signature import is_signed_delivery
from tests.inbox_api.conftest import DELIVERY_SECRET, Inbox, RasaPeer
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


async def test_escalation_creates_one_ticket_per_open_conversation(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    first = await inbox.client.post(
        "/api/v1/escalations", json=escalation(), headers=service_headers
    )
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["status"] == "open" and body["priority"] == "normal"
    due = datetime.fromisoformat(body["sla"]["first_response_due_at"])
    assert due.utcoffset() is not None

    again = await inbox.client.post(
        "/api/v1/escalations",
        json=escalation(reason="customer_message", text="Hallo? Nog iemand daar?"),
        headers=service_headers,
    )
    assert again.status_code == 200
    assert again.json()["ticket_id"] == body["ticket_id"]

    staff = await agent_headers(inbox.runtime, inbox.client)
    detail = (await inbox.client.get(f"/api/v1/tickets/{body['ticket_id']}", headers=staff)).json()
    assert [m["text"] for m in detail["messages"]] == [
        "Waar blijft mijn pakket?",
        "Hallo? Nog iemand daar?",
    ]
    assert detail["packet"]["intents"] == [{"name": "order_status", "confidence": 0.41}]
    assert detail["packet"]["attempted"] == ["action_order_status"]
    assert detail["sla"]["first_response_due_at"] == body["sla"]["first_response_due_at"]
    assert detail["sla"]["first_response_state"] in ("running", "warning", "breached")
    page = (await inbox.client.get("/api/v1/tickets", headers=staff)).json()
    assert page["total"] == 1


async def test_complaints_get_high_priority(inbox: Inbox, service_headers: dict[str, str]) -> None:
    response = await inbox.client.post(
        "/api/v1/escalations",
        json=escalation("conv-c", reason="complaint", language="en", text="This is unacceptable"),
        headers=service_headers,
    )
    assert response.status_code == 201
    assert response.json()["priority"] == "high"


async def test_public_comment_tickets_are_tagged_public_with_the_tighter_sla(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    ids = {}
    for channel in ("messenger", "instagram_comment"):
        response = await inbox.client.post(
            "/api/v1/escalations",
            json=escalation(f"{channel}:C1", channel=channel, text="Waar blijft mijn jurk?"),
            headers=service_headers,
        )
        assert response.status_code == 201
        ids[channel] = response.json()["ticket_id"]
    staff = await agent_headers(inbox.runtime, inbox.client)
    page = (await inbox.client.get("/api/v1/tickets", headers=staff)).json()
    by_id = {t["id"]: t for t in page["items"]}
    public, private = by_id[ids["instagram_comment"]], by_id[ids["messenger"]]
    assert (public["priority"], public["tags"]) == ("high", ["public"])
    assert (private["priority"], private["tags"]) == ("normal", [])
    # First response within 1 business hour instead of 4: due first in the queue.
    assert [t["id"] for t in page["items"]] == [ids["instagram_comment"], ids["messenger"]]
    assert datetime.fromisoformat(public["first_response_due_at"]) < datetime.fromisoformat(
        private["first_response_due_at"]
    )


async def test_reply_reaches_rasa_and_resolve_hands_back(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    created = await inbox.client.post(
        "/api/v1/escalations", json=escalation("conv-9"), headers=service_headers
    )
    ticket_id = created.json()["ticket_id"]
    staff = await agent_headers(inbox.runtime, inbox.client)

    claim = await inbox.client.post(f"/api/v1/tickets/{ticket_id}/claim", headers=staff)
    assert claim.status_code == 200 and claim.json()["assignee"]["name"] == "Sanne"
    reply = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/replies",
        json={"text": "Je pakket komt morgen."},
        headers=staff,
    )
    assert reply.status_code == 201, reply.text
    assert reply.json()["delivery_state"] == "pending"
    await rasa_peer.wait_for(1)
    call = rasa_peer.calls[0]
    assert call["conversation_id"] == "conv-9"
    assert call["query"] == {"output_channel": "latest", "token": "rasa-token-for-tests"}
    body = call["body"]
    assert body["name"] == "EXTERNAL_agent_message"
    assert body["entities"]["agent_message"] == "Je pakket komt morgen."
    # Signed, so the action server relays only what the inbox sent.
    assert is_signed_delivery(
        DELIVERY_SECRET,
        "EXTERNAL_agent_message",
        "conv-9",
        body["entities"]["delivery_id"],
        "Je pakket komt morgen.",
        body["entities"]["delivery_signature"],
    )

    status = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "resolved"}, headers=staff
    )
    assert status.status_code == 200 and status.json()["status"] == "resolved"
    await rasa_peer.wait_for(2)
    handback = rasa_peer.calls[1]["body"]
    assert handback["name"] == "EXTERNAL_handback"
    assert set(handback["entities"]) == {"delivery_id", "delivery_signature"}

    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    agent_message = next(m for m in detail["messages"] if m["role"] == "agent")
    assert agent_message["delivery_state"] == "delivered"
    assert detail["sla"]["first_response_state"] == "met"

    # A resolved conversation escalated again gets a new ticket.
    new = await inbox.client.post(
        "/api/v1/escalations", json=escalation("conv-9"), headers=service_headers
    )
    assert new.status_code == 201 and new.json()["ticket_id"] != ticket_id


async def test_notes_are_never_delivered(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    ticket_id = (
        await inbox.client.post(
            "/api/v1/escalations", json=escalation("conv-n"), headers=service_headers
        )
    ).json()["ticket_id"]
    staff = await agent_headers(inbox.runtime, inbox.client)
    note = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/notes", json={"text": "Klant belde ook al"}, headers=staff
    )
    assert note.status_code == 201 and note.json()["role"] == "note"
    await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/replies", json={"text": "Hoi!"}, headers=staff
    )
    await rasa_peer.wait_for(1)
    assert rasa_peer.texts("conv-n") == ["Hoi!"]
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    # The note did not satisfy the first response; the reply did.
    assert detail["sla"]["clocks"]["first_response"]["done_at"] == next(
        m["created_at"] for m in detail["messages"] if m["role"] == "agent"
    )


async def test_list_filters_and_sorts_by_nearest_deadline(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    ids = {}
    for cid, reason, language in [
        ("a", "fallback", "nl"),
        ("b", "complaint", "en"),
        ("c", "fallback", "en"),
    ]:
        r = await inbox.client.post(
            "/api/v1/escalations",
            json=escalation(cid, reason=reason, language=language),
            headers=service_headers,
        )
        ids[cid] = r.json()["ticket_id"]
    staff = await agent_headers(inbox.runtime, inbox.client)
    page = (await inbox.client.get("/api/v1/tickets", headers=staff)).json()
    # The complaint (1 h budget) is due before the two normal ones (4 h), kept in arrival order.
    assert [t["id"] for t in page["items"]] == [ids["b"], ids["a"], ids["c"]]
    dues = [t["sla_due_at"] for t in page["items"]]
    assert dues == sorted(dues, key=datetime.fromisoformat)
    english = (await inbox.client.get("/api/v1/tickets?language=en", headers=staff)).json()
    assert {t["id"] for t in english["items"]} == {ids["b"], ids["c"]}
    high = (await inbox.client.get("/api/v1/tickets?priority=high", headers=staff)).json()
    assert [t["id"] for t in high["items"]] == [ids["b"]]
    await inbox.client.post(f"/api/v1/tickets/{ids['c']}/claim", headers=staff)
    mine = (await inbox.client.get("/api/v1/tickets?assignee=me", headers=staff)).json()
    assert [t["id"] for t in mine["items"]] == [ids["c"]]
    unassigned = (await inbox.client.get("/api/v1/tickets?assignee=none", headers=staff)).json()
    assert {t["id"] for t in unassigned["items"]} == {ids["a"], ids["b"]}
    await inbox.client.post(
        f"/api/v1/tickets/{ids['a']}/status", json={"status": "resolved"}, headers=staff
    )
    open_only = (await inbox.client.get("/api/v1/tickets", headers=staff)).json()
    assert ids["a"] not in {t["id"] for t in open_only["items"]}
    resolved = (await inbox.client.get("/api/v1/tickets?status=resolved", headers=staff)).json()
    assert [t["id"] for t in resolved["items"]] == [ids["a"]]


async def test_waiting_on_customer_then_customer_message_reopens(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    ticket_id = (
        await inbox.client.post(
            "/api/v1/escalations", json=escalation("conv-w"), headers=service_headers
        )
    ).json()["ticket_id"]
    staff = await agent_headers(inbox.runtime, inbox.client)
    await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/replies",
        json={"text": "Wat is je ordernummer?"},
        headers=staff,
    )
    waiting = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "waiting_on_customer"}, headers=staff
    )
    assert waiting.json()["sla"]["resolution_state"] == "paused"
    assert waiting.json()["sla"]["resolution_due_at"] is None
    await inbox.client.post(
        "/api/v1/escalations",
        json=escalation("conv-w", reason="customer_message", text="LC-1234"),
        headers=service_headers,
    )
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    assert detail["status"] == "open"
    assert detail["sla"]["resolution_state"] in ("running", "warning", "breached")
    assert detail["sla"]["next_response_state"] in ("running", "warning", "breached")


async def test_racing_escalations_of_one_conversation_open_one_ticket(
    inbox: Inbox, service_headers: dict[str, str], database_url: str
) -> None:
    bodies = [escalation("conv-race", text=f"bericht {n}") for n in range(6)]
    responses = await asyncio.gather(
        *(inbox.client.post("/api/v1/escalations", json=b, headers=service_headers) for b in bodies)
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [200, 200, 200, 200, 200, 201], [r.text for r in responses]
    assert len({r.json()["ticket_id"] for r in responses}) == 1
    staff = await agent_headers(inbox.runtime, inbox.client)
    detail = (
        await inbox.client.get(f"/api/v1/tickets/{responses[0].json()['ticket_id']}", headers=staff)
    ).json()
    assert sorted(m["text"] for m in detail["messages"]) == [f"bericht {n}" for n in range(6)]


async def test_reopening_when_the_conversation_has_a_newer_ticket_is_refused(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    old = (
        await inbox.client.post(
            "/api/v1/escalations", json=escalation("c-o"), headers=service_headers
        )
    ).json()["ticket_id"]
    await inbox.client.post(
        f"/api/v1/tickets/{old}/status", json={"status": "resolved"}, headers=staff
    )
    new = (
        await inbox.client.post(
            "/api/v1/escalations", json=escalation("c-o"), headers=service_headers
        )
    ).json()["ticket_id"]
    reopen = await inbox.client.post(
        f"/api/v1/tickets/{old}/status", json={"status": "open"}, headers=staff
    )
    assert reopen.status_code == 409 and f"#{new}" in reopen.json()["detail"]
    await inbox.client.post(
        f"/api/v1/tickets/{new}/status", json={"status": "resolved"}, headers=staff
    )
    again = await inbox.client.post(
        f"/api/v1/tickets/{old}/status", json={"status": "open"}, headers=staff
    )
    assert again.status_code == 200 and again.json()["status"] == "open"
    assert again.json()["sla"]["resolution_state"] == "running"


async def test_the_queue_tells_customer_requests_from_the_assistants_own_hand_overs(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    reasons = {
        "conv-asked": "human_handoff", "conv-angry": "complaint",
        "conv-lost": "fallback", "conv-shop": "out_of_scope", "conv-error": "action_error",
    }
    ids: dict[str, int] = {}
    for conversation, reason in reasons.items():
        created = await inbox.client.post(
            "/api/v1/escalations", json=escalation(conversation, reason=reason),
            headers=service_headers,
        )
        assert created.status_code == 201, created.text
        ids[conversation] = created.json()["ticket_id"]
    staff = await agent_headers(inbox.runtime, inbox.client)

    async def queue(query: str = "") -> dict[int, str]:
        page = (await inbox.client.get(f"/api/v1/tickets{query}", headers=staff)).json()
        return {item["id"]: item["reason_class"] for item in page["items"]}

    everything = await queue()
    assert everything == {
        ids["conv-asked"]: "customer_request", ids["conv-angry"]: "customer_request",
        ids["conv-lost"]: "assistant", ids["conv-shop"]: "assistant",
        ids["conv-error"]: "assistant",
    }
    asked = await queue("?reason_class=customer_request")
    assert set(asked) == {ids["conv-asked"], ids["conv-angry"]}
    assistant = await queue("?reason_class=assistant&language=nl")
    assert set(assistant) == {ids["conv-lost"], ids["conv-shop"], ids["conv-error"]}
    refused = await inbox.client.get("/api/v1/tickets?reason_class=robot", headers=staff)
    assert refused.status_code == 422
    detail = (await inbox.client.get(f"/api/v1/tickets/{ids['conv-lost']}", headers=staff)).json()
    assert detail["reason"] == "fallback" and detail["reason_class"] == "assistant"
