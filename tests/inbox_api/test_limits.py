"""Limits: request bodies and the SLA report's date range."""

from __future__ import annotations

from collections.abc import AsyncIterator

from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


async def test_a_body_over_the_limit_gets_413(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    limit = inbox.runtime.settings.max_body_bytes
    body = escalation()
    body["message"] = "x" * (limit + 10)
    refused = await inbox.client.post("/api/v1/escalations", json=body, headers=service_headers)
    assert refused.status_code == 413
    assert refused.json() == {
        "detail": f"The request body is too large: the inbox accepts at most {limit} bytes."
    }

    async def chunks() -> AsyncIterator[bytes]:
        # No Content-Length: counted while it is read.
        for _ in range(limit // 1000 + 2):
            yield b" " * 1000

    chunked = await inbox.client.post(
        "/api/v1/escalations",
        content=chunks(),
        headers={**service_headers, "Content-Type": "application/json"},
    )
    assert chunked.status_code == 413
    assert "too large" in chunked.json()["detail"]
    fine = await inbox.client.post(
        "/api/v1/escalations", json=escalation(), headers=service_headers
    )
    assert fine.status_code in (200, 201)


async def test_the_sla_report_range_is_bounded(inbox: Inbox) -> None:
    headers = await agent_headers(inbox.runtime, inbox.client)
    report = "/api/v1/sla/report"
    year = await inbox.client.get(
        report,
        params={"since": "2026-01-01T00:00:00+01:00", "until": "2026-12-31T00:00:00+01:00"},
        headers=headers,
    )
    assert year.status_code == 200
    too_long = await inbox.client.get(
        report,
        params={"since": "2020-01-01T00:00:00+01:00", "until": "2026-12-01T00:00:00+01:00"},
        headers=headers,
    )
    assert too_long.status_code == 422
    assert too_long.json()["detail"].startswith("The report covers at most 366 days")
    earliest = await inbox.client.get(
        report, params={"until": "0001-01-02T00:00:00+00:00"}, headers=headers
    )
    assert earliest.status_code == 422
