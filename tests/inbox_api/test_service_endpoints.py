"""Health, metrics, OpenAPI and ticket edits."""

from __future__ import annotations

from datetime import datetime

from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


async def test_healthz_metrics_and_openapi(inbox: Inbox, service_headers: dict[str, str]) -> None:
    health = await inbox.client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok", "database": "ok"}
    await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    metrics = await inbox.client.get("/metrics")
    assert 'inbox_escalations_total{language="nl",outcome="created"} 1.0' in metrics.text
    assert 'inbox_http_request_seconds_count{method="POST",route="/api/v1/escalations"} 1.0' in (
        metrics.text
    )
    spec = (await inbox.client.get("/openapi.json")).json()
    for path in [
        "/api/v1/escalations",
        "/api/v1/tickets",
        "/api/v1/tickets/{ticket_id}",
        "/api/v1/tickets/{ticket_id}/claim",
        "/api/v1/tickets/{ticket_id}/replies",
        "/api/v1/tickets/{ticket_id}/notes",
        "/api/v1/tickets/{ticket_id}/status",
        "/api/v1/sla/report",
        "/healthz",
        "/metrics",
    ]:
        assert path in spec["paths"], path
    assert spec["paths"]["/api/v1/tickets"]["get"]["description"]


async def test_priority_change_moves_the_deadlines(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    ticket_id = (
        await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    ).json()["ticket_id"]
    staff = await agent_headers(inbox.runtime, inbox.client)
    before = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    after = await inbox.client.patch(
        f"/api/v1/tickets/{ticket_id}",
        json={"priority": "urgent", "tags": [" levering ", "levering"]},
        headers=staff,
    )
    assert after.status_code == 200
    body = after.json()
    assert body["priority"] == "urgent" and body["tags"] == ["levering"]
    old_due = datetime.fromisoformat(before["sla"]["first_response_due_at"])
    new_due = datetime.fromisoformat(body["sla"]["first_response_due_at"])
    assert new_due < old_due
    assert body["sla_due_at"] == body["sla"]["first_response_due_at"]
    # Timestamps carry the Amsterdam offset.
    assert body["escalated_at"][-6:] in ("+01:00", "+02:00")
    bad = await inbox.client.patch(
        f"/api/v1/tickets/{ticket_id}", json={"priority": "asap"}, headers=staff
    )
    assert bad.status_code == 422 and "priority" in bad.json()["detail"]
