"""Snooze through the API: hidden from the queue, woken by the customer, refused when unfair."""

from __future__ import annotations

from datetime import datetime, timedelta

from kit.clock import utc_now
from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


async def _queue(inbox: Inbox, headers: dict[str, str], query: str = "") -> list[int]:
    page = (await inbox.client.get(f"/api/v1/tickets{query}", headers=headers)).json()
    return [t["id"] for t in page["items"]]


async def test_a_timed_snooze_hides_the_ticket_until_it_ends(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    agent = await agent_headers(inbox.runtime, inbox.client)
    ticket = (
        await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    ).json()["ticket_id"]
    asked = utc_now() + timedelta(hours=1)
    response = await inbox.client.post(
        f"/api/v1/tickets/{ticket}/snooze", json={"until": asked.isoformat()}, headers=agent
    )
    assert response.status_code == 200, response.text
    granted = response.json()
    assert granted["mode"] == "time"
    until = datetime.fromisoformat(granted["until"])
    # Never later than asked; earlier when a clock's warning point comes first.
    assert until <= asked and (until == asked) == (granted["shortened_by"] is None)
    assert await _queue(inbox, agent) == []
    snoozed = (await inbox.client.get("/api/v1/tickets?snoozed=true", headers=agent)).json()
    assert [t["id"] for t in snoozed["items"]] == [ticket]
    assert snoozed["items"][0]["snooze_mode"] == "time"
    assert datetime.fromisoformat(snoozed["next_snooze_end_at"]) == until
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket}", headers=agent)).json()
    assert detail["snooze_mode"] == "time"
    # The clocks ran on: snooze moved no deadline.
    assert detail["sla"]["first_response_state"] in ("running", "warning")
    woken = await inbox.client.delete(f"/api/v1/tickets/{ticket}/snooze", headers=agent)
    assert woken.status_code == 204
    assert await _queue(inbox, agent) == [ticket]
    again = await inbox.client.delete(f"/api/v1/tickets/{ticket}/snooze", headers=agent)
    assert again.status_code == 409 and "not snoozed" in again.json()["detail"]


async def test_until_the_customer_answers(inbox: Inbox, service_headers: dict[str, str]) -> None:
    agent = await agent_headers(inbox.runtime, inbox.client)
    ticket = (
        await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    ).json()["ticket_id"]
    path = f"/api/v1/tickets/{ticket}/snooze"
    unanswered = await inbox.client.post(path, json={"until_customer_replies": True}, headers=agent)
    assert unanswered.status_code == 409
    assert "waiting for an answer (first response)" in unanswered.json()["detail"]
    await inbox.client.post(
        f"/api/v1/tickets/{ticket}/replies", json={"text": "Welke maat heb je?"}, headers=agent
    )
    granted = await inbox.client.post(path, json={"until_customer_replies": True}, headers=agent)
    assert granted.status_code == 200 and granted.json() == {
        "mode": "reply", "until": None, "shortened_by": None,
    }
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket}", headers=agent)).json()
    assert detail["status"] == "waiting_on_customer"
    assert detail["sla"]["resolution_state"] == "paused"
    assert detail["sla"]["first_response_state"] == "met"
    assert await _queue(inbox, agent) == []
    # The customer answers: the ticket is back, open, with a next-response clock running.
    appended = await inbox.client.post(
        "/api/v1/escalations",
        json={**escalation(text="Maat M graag"), "reason": "customer_message"},
        headers=service_headers,
    )
    assert appended.status_code == 200
    assert await _queue(inbox, agent) == [ticket]
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket}", headers=agent)).json()
    assert detail["status"] == "open" and detail["snooze_mode"] is None
    assert detail["sla"]["next_response_state"] == "running"
    assert detail["sla"]["resolution_state"] == "running"


async def test_bad_snoozes_are_refused(inbox: Inbox, service_headers: dict[str, str]) -> None:
    agent = await agent_headers(inbox.runtime, inbox.client)
    ticket = (
        await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    ).json()["ticket_id"]
    path = f"/api/v1/tickets/{ticket}/snooze"
    soon = (utc_now() + timedelta(hours=1)).isoformat()
    for body, status, needle in (
        ({}, 422, "either until or until_customer_replies"),
        ({"until": soon, "until_customer_replies": True}, 422, "either"),
        ({"until": "2030-01-01T10:00:00"}, 422, "until"),
        ({"until": "tomorrow"}, 422, "until"),
        ({"until": (utc_now() - timedelta(minutes=1)).isoformat()}, 409, "still to come"),
        ({"until": (utc_now() + timedelta(days=31)).isoformat()}, 409, "30 days"),
    ):
        response = await inbox.client.post(path, json=body, headers=agent)
        assert response.status_code == status, (body, response.text)
        assert needle in response.json()["detail"], response.json()["detail"]
    missing = await inbox.client.post(
        "/api/v1/tickets/999999/snooze", json={"until": soon}, headers=agent
    )
    assert missing.status_code == 404
    assert (await inbox.client.post(path, json={"until": soon})).status_code == 401
    await inbox.client.post(
        f"/api/v1/tickets/{ticket}/status", json={"status": "resolved"}, headers=agent
    )
    resolved = await inbox.client.post(path, json={"until": soon}, headers=agent)
    assert resolved.status_code == 409 and "resolved" in resolved.json()["detail"]
    # Nothing of the refused snoozes stuck.
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket}", headers=agent)).json()
    assert detail["snooze_mode"] is None and detail["snoozed_until"] is None
