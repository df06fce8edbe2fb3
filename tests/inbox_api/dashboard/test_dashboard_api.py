"""The dashboard API: who may see it, its periods, its numbers and the CSV export."""

from __future__ import annotations

import csv
import io

from tests.inbox_api.assignment.factories import admin_headers, make_team, online_agent
from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers, make_staff
from tests.inbox_api.tickets.factories import escalation


async def test_periods_that_make_no_sense_are_refused(inbox: Inbox) -> None:
    admin = await admin_headers(inbox)
    for params in (
        {"since": "2026-01-01T00:00:00+01:00", "until": "2026-06-01T00:00:00+01:00"},
        {"since": "2026-02-01T00:00:00+01:00", "until": "2026-01-01T00:00:00+01:00"},
        {"since": "2026-01-01T00:00:00", "until": "2026-01-02T00:00:00"},
        {"since": "not a date"},
    ):
        for path in ("/api/v1/dashboard", "/api/v1/dashboard/export.csv"):
            response = await inbox.client.get(path, params=params, headers=admin)
            assert response.status_code == 422, (path, params, response.text)


async def test_only_admins_and_team_leads(inbox: Inbox) -> None:
    agent = await agent_headers(inbox.runtime, inbox.client, email="plain@linde.test")
    assert (await inbox.client.get("/api/v1/dashboard", headers=agent)).status_code == 403
    assert (
        await inbox.client.get("/api/v1/dashboard/export.csv", headers=agent)
    ).status_code == 403
    admin = await admin_headers(inbox)
    team = await make_team(inbox.client, admin)
    _, lead = await online_agent(inbox, admin, team, "lead@linde.test", lead=True)
    assert (await inbox.client.get("/api/v1/dashboard", headers=lead)).status_code == 200


async def test_numbers_and_csv_come_from_the_tickets(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    admin = await admin_headers(inbox)
    # A name a spreadsheet would run as a formula stays text in the export.
    await make_staff(inbox.runtime, email="eve@linde.test", name="=HYPERLINK(1)")
    for i, language in enumerate(("nl", "nl", "en")):
        await inbox.client.post(
            "/api/v1/escalations",
            json=escalation(
                f"dash-{i}", language=language, channel="whatsapp" if i else "socketio"
            ),
            headers=service_headers,
        )
    body = (
        await inbox.client.get("/api/v1/dashboard", params={"lang": "en"}, headers=admin)
    ).json()
    assert body["by_language"] == {"nl": 2, "en": 1}
    assert body["by_channel"] == {"whatsapp": 2, "socketio": 1}
    assert body["first_response"]["–"] == 3
    assert set(body["charts"]) == {
        "sla",
        "first_response",
        "by_language",
        "by_channel",
        "by_reason",
        "containment",
        "csat",
        "agents",
    }
    assert "Tickets by language" in body["charts"]["by_language"]
    exported = await inbox.client.get("/api/v1/dashboard/export.csv", headers=admin)
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["section", "series", "label", "value"]
    assert ["tickets_by_language", "tickets", "nl", "2"] in rows
    assert ["agent_load", "open_now", "'=HYPERLINK(1)", "0"] in rows
