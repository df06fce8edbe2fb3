"""Teams and presence refuse what makes no sense, with a reason (and never a 500)."""

from __future__ import annotations

from inbox_api.assignment.schemas import TeamIn
from tests.inbox_api.assignment.factories import admin_headers, make_team, online_agent
from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers, make_staff


async def test_team_rules_out_of_range_are_refused(inbox: Inbox) -> None:
    admin = await admin_headers(inbox)
    for body in (
        {"name": "Nul", "max_open_per_agent": 0},
        {"name": "Te veel", "max_open_per_agent": 101},
        {"name": "Negatief", "away_release_minutes": -5},
        {"name": "   "},
        {"name": ""},
        {"name": "x" * 101},
    ):
        response = await inbox.client.post("/api/v1/teams", json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
    team = await make_team(inbox.client, admin)
    patched = await inbox.client.patch(
        f"/api/v1/teams/{team}", json={"max_open_per_agent": 0}, headers=admin
    )
    assert patched.status_code == 422
    assert TeamIn(name="ok").max_open_per_agent == 5


async def test_a_team_name_is_unique(inbox: Inbox) -> None:
    admin = await admin_headers(inbox)
    await make_team(inbox.client, admin, name="Retouren")
    again = await inbox.client.post("/api/v1/teams", json={"name": "Retouren"}, headers=admin)
    assert again.status_code == 409
    assert "exists already" in again.json()["detail"]
    other = await make_team(inbox.client, admin, name="Webshop")
    renamed = await inbox.client.patch(
        f"/api/v1/teams/{other}", json={"name": "Retouren"}, headers=admin
    )
    assert renamed.status_code == 409


async def test_members_must_exist_and_work_tickets(inbox: Inbox) -> None:
    admin = await admin_headers(inbox)
    team = await make_team(inbox.client, admin)
    unknown = await inbox.client.put(f"/api/v1/teams/{team}/members/999", json={}, headers=admin)
    assert unknown.status_code == 404
    trainer = await make_staff(inbox.runtime, email="trainer@linde.test", role="trainer")
    refused = await inbox.client.put(
        f"/api/v1/teams/{team}/members/{trainer}", json={}, headers=admin
    )
    assert refused.status_code == 422
    assert "only agents and admins" in refused.json()["detail"]
    no_team = await inbox.client.put("/api/v1/teams/4242/members/1", json={}, headers=admin)
    assert no_team.status_code == 404
    not_member = await inbox.client.delete(f"/api/v1/teams/{team}/members/{trainer}", headers=admin)
    assert not_member.status_code == 404


async def test_presence_is_online_or_away(inbox: Inbox) -> None:
    agent = await agent_headers(inbox.runtime, inbox.client)
    for value in ("busy", "", None, 1):
        response = await inbox.client.put(
            "/api/v1/assignment/me/presence", json={"presence": value}, headers=agent
        )
        assert response.status_code == 422, value
    trainer = await agent_headers(inbox.runtime, inbox.client, email="t@linde.test", role="trainer")
    response = await inbox.client.put(
        "/api/v1/assignment/me/presence", json={"presence": "online"}, headers=trainer
    )
    assert response.status_code == 403


async def test_only_admins_manage_teams_and_only_leads_or_admins_see_them(inbox: Inbox) -> None:
    admin = await admin_headers(inbox)
    team = await make_team(inbox.client, admin)
    agent = await agent_headers(inbox.runtime, inbox.client, email="plain@linde.test")
    assert (
        await inbox.client.post("/api/v1/teams", json={"name": "Mijn"}, headers=agent)
    ).status_code == 403
    assert (await inbox.client.get("/api/v1/teams", headers=agent)).status_code == 403
    _, lead = await online_agent(inbox, admin, team, "lead@linde.test", lead=True)
    teams = await inbox.client.get("/api/v1/teams", headers=lead)
    assert teams.status_code == 200
    [only] = teams.json()
    assert [(m["name"], m["lead"], m["presence"]) for m in only["members"]] == [
        ("lead@linde.test", True, "online")
    ]
    assert (
        await inbox.client.patch(f"/api/v1/teams/{team}", json={"name": "Ik"}, headers=lead)
    ).status_code == 403
