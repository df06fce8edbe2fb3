"""Bad input: a clear 4xx with a message, and nothing half-written."""

from __future__ import annotations

from tests.inbox_api.conftest import Inbox, RasaPeer
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


async def test_escalation_needs_the_service_token(inbox: Inbox) -> None:
    none = await inbox.client.post("/api/v1/escalations", json=escalation())
    wrong = await inbox.client.post(
        "/api/v1/escalations", json=escalation(), headers={"Authorization": "Bearer nope"}
    )
    staff = await agent_headers(inbox.runtime, inbox.client)
    as_staff = await inbox.client.post("/api/v1/escalations", json=escalation(), headers=staff)
    for response in (none, wrong, as_staff):
        assert response.status_code == 401
        assert "service token" in response.json()["detail"] or "Log in" in response.json()["detail"]
    listing = await inbox.client.get("/api/v1/tickets", headers=staff)
    assert listing.json()["total"] == 0


async def test_no_ticket_without_a_valid_token(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    ticket_id = (
        await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    ).json()["ticket_id"]
    for headers in ({}, {"Authorization": "Bearer garbage"}, service_headers):
        for path in ("/api/v1/tickets", f"/api/v1/tickets/{ticket_id}", "/api/v1/sla/report"):
            response = await inbox.client.get(path, headers=headers)
            assert response.status_code == 401, (path, headers)
            assert response.json()["detail"]


async def test_trainers_may_not_work_tickets(inbox: Inbox, service_headers: dict[str, str]) -> None:
    ticket_id = (
        await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    ).json()["ticket_id"]
    trainer = await agent_headers(
        inbox.runtime, inbox.client, email="trainer@linde.test", role="trainer"
    )
    for method, path, body in [
        ("GET", "/api/v1/tickets", None),
        ("GET", f"/api/v1/tickets/{ticket_id}", None),
        ("POST", f"/api/v1/tickets/{ticket_id}/replies", {"text": "hoi"}),
        (
            "POST",
            "/api/v1/staff",
            {"email": "x@y.z", "name": "X", "role": "admin", "password": "12345678"},
        ),
    ]:
        response = await inbox.client.request(method, path, json=body, headers=trainer)
        assert response.status_code == 403, path
        assert "trainer" in response.json()["detail"]


async def test_bad_ticket_requests(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    missing = await inbox.client.post(
        "/api/v1/tickets/999/replies", json={"text": "hoi"}, headers=staff
    )
    assert missing.status_code == 404 and "999" in missing.json()["detail"]

    ticket_id = (
        await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    ).json()["ticket_id"]
    empty = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/replies", json={"text": "   "}, headers=staff
    )
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    huge = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/replies", json={"text": "x" * 4001}, headers=staff
    )
    assert huge.status_code == 422 and "4000" in huge.json()["detail"]
    invalid = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "closed"}, headers=staff
    )
    assert invalid.status_code == 422
    same = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "open"}, headers=staff
    )
    assert same.status_code == 409 and "already open" in same.json()["detail"]

    await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "resolved"}, headers=staff
    )
    to_waiting = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "waiting_on_customer"}, headers=staff
    )
    assert to_waiting.status_code == 409
    late = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/replies", json={"text": "nog iets"}, headers=staff
    )
    assert late.status_code == 409 and "resolved" in late.json()["detail"]

    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    assert [m["role"] for m in detail["messages"]] == ["customer"]  # nothing half-written
    await rasa_peer.wait_for(1)
    assert [c["body"]["name"] for c in rasa_peer.calls] == ["EXTERNAL_handback"]

    bad_escalation = escalation(text="")
    bad = await inbox.client.post(
        "/api/v1/escalations", json=bad_escalation, headers=service_headers
    )
    assert bad.status_code == 422 and "customer_message" in bad.json()["detail"]


async def test_an_odd_escalation_packet_is_trimmed_not_refused(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    body = escalation("conv-odd")
    body["transcript"] = [
        {"role": "user" if n % 2 else "bot", "text": f"regel {n}"} for n in range(300)
    ] + [{"role": "user", "text": "x" * 9000}]
    body["intents"] = [{"name": f"intent_{n}", "confidence": 0.01} for n in range(60)]
    body["entities"] = [{"entity": "size", "value": {"from": 38, "to": 40}}]
    response = await inbox.client.post("/api/v1/escalations", json=body, headers=service_headers)
    assert response.status_code == 201, response.text
    staff = await agent_headers(inbox.runtime, inbox.client)
    packet = (
        await inbox.client.get(f"/api/v1/tickets/{response.json()['ticket_id']}", headers=staff)
    ).json()["packet"]
    assert len(packet["transcript"]) == 200
    assert packet["transcript"][-1] == {"role": "customer", "text": "x" * 4000, "at": None}
    assert packet["transcript"][0]["text"] == "regel 101"
    assert len(packet["intents"]) == 50
    assert packet["entities"] == [{"entity": "size", "value": {"from": 38, "to": 40}}]


async def test_an_oversized_customer_message_is_refused_with_a_reason(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    response = await inbox.client.post(
        "/api/v1/escalations", json=escalation(text="y" * 4001), headers=service_headers
    )
    assert response.status_code == 422
    assert "customer_message" in response.json()["detail"] and "4000" in response.json()["detail"]
