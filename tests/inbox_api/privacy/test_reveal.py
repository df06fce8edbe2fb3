"""Masked by default; the ticket's agent (or an admin) reveals one message, and it is audited."""

from __future__ import annotations

from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation

SECRET_TEXT = "Bestelling 100234, postcode 1012 AB, mail anna@example.nl. Kost € 79,95 in maat 38."
MASKED_TEXT = "Bestelling [order], postcode [postcode], mail [email]. Kost € 79,95 in maat 38."


async def _ticket(inbox: Inbox, service_headers: dict[str, str]) -> int:
    response = await inbox.client.post(
        "/api/v1/escalations", json=escalation("conv-pd", text=SECRET_TEXT), headers=service_headers
    )
    assert response.status_code == 201, response.text
    ticket_id: int = response.json()["ticket_id"]
    return ticket_id


async def test_staff_see_customer_data_masked_by_default(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    ticket_id = await _ticket(inbox, service_headers)
    agent = await agent_headers(inbox.runtime, inbox.client)

    queue = (await inbox.client.get("/api/v1/tickets", headers=agent)).json()
    assert queue["items"][0]["preview"] == MASKED_TEXT
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=agent)).json()
    assert [(m["text"], m["masked"]) for m in detail["messages"]] == [(MASKED_TEXT, True)]
    assert detail["packet"]["transcript"][-1]["text"] == MASKED_TEXT
    assert detail["packet_masked"] is True
    # Nothing of the customer's data anywhere in what the agent received.
    for secret in ("100234", "1012 AB", "anna@example.nl"):
        assert secret not in str(queue) and secret not in str(detail)


async def test_the_agent_on_the_ticket_reveals_one_message_and_it_is_audited(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    ticket_id = await _ticket(inbox, service_headers)
    agent = await agent_headers(inbox.runtime, inbox.client)
    colleague = await agent_headers(inbox.runtime, inbox.client, email="colleague@linde.test")
    admin = await agent_headers(inbox.runtime, inbox.client, email="boss@linde.test", role="admin")
    trainer = await agent_headers(
        inbox.runtime, inbox.client, email="trainer@linde.test", role="trainer"
    )
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=agent)).json()
    message_id = detail["messages"][0]["id"]
    reveal = f"/api/v1/tickets/{ticket_id}/messages/{message_id}/reveal"

    # Not claimed yet: nobody but an admin may look.
    refused = await inbox.client.post(reveal, json={}, headers=agent)
    assert refused.status_code == 403 and "claim" in refused.json()["detail"]
    assert (await inbox.client.post(reveal, json={}, headers=trainer)).status_code == 403

    claimed = await inbox.client.post(f"/api/v1/tickets/{ticket_id}/claim", headers=agent)
    assert claimed.status_code == 200
    shown = await inbox.client.post(
        reveal, json={"reason": "klant vraagt naar bestelling"}, headers=agent
    )
    assert shown.status_code == 200, shown.text
    assert shown.json()["text"] == SECRET_TEXT
    # A colleague who does not hold the ticket still may not.
    assert (await inbox.client.post(reveal, json={}, headers=colleague)).status_code == 403
    # An admin may, without claiming; and the packet too.
    assert (await inbox.client.post(reveal, json={}, headers=admin)).status_code == 200
    packet = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/packet/reveal", json={}, headers=admin
    )
    assert packet.json()["packet"]["transcript"][-1]["text"] == SECRET_TEXT
    # A message of another ticket is not found through this one.
    other = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id + 1}/messages/{message_id}/reveal", json={}, headers=admin
    )
    assert other.status_code == 404

    # Revealing does not unmask the ticket for anyone.
    again = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=agent)).json()
    assert again["messages"][0]["text"] == MASKED_TEXT

    # Only admins read the log; newest first, who, which message, why.
    assert (await inbox.client.get("/api/v1/privacy/reveals", headers=agent)).status_code == 403
    log = (await inbox.client.get("/api/v1/privacy/reveals", headers=admin)).json()
    assert log["total"] == 3
    rows = [(r["staff_name"], r["ticket_id"], r["message_id"], r["reason"]) for r in log["items"]]
    assert rows == [
        ("Sanne", ticket_id, None, None),
        ("Sanne", ticket_id, message_id, None),
        ("Sanne", ticket_id, message_id, "klant vraagt naar bestelling"),
    ]
    # The log never holds the revealed text.
    assert "anna@example.nl" not in str(log)
