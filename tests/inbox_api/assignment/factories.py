"""Assignment test data: teams, members and presence through the API."""

from __future__ import annotations

from typing import Any

import httpx

from tests.inbox_api.staff.factories import agent_headers, login_headers, make_staff


async def make_team(
    client: httpx.AsyncClient, admin: dict[str, str], name: str = "Klantenservice", **rules: Any
) -> int:
    """Create a team as an admin; returns its id."""
    response = await client.post("/api/v1/teams", json={"name": name, **rules}, headers=admin)
    assert response.status_code == 201, response.text
    team_id: int = response.json()["id"]
    return team_id


async def online_agent(
    inbox: Any,
    admin: dict[str, str],
    team_id: int,
    email: str,
    languages: tuple[str, ...] = ("nl", "en"),
    lead: bool = False,
) -> tuple[int, dict[str, str]]:
    """An agent in the team, marked online; returns (staff id, headers)."""
    staff_id = await make_staff(inbox.runtime, email=email, languages=languages, name=email)
    headers = await login_headers(inbox.client, email)
    joined = await inbox.client.put(
        f"/api/v1/teams/{team_id}/members/{staff_id}", json={"lead": lead}, headers=admin
    )
    assert joined.status_code == 200, joined.text
    online = await inbox.client.put(
        "/api/v1/assignment/me/presence", json={"presence": "online"}, headers=headers
    )
    assert online.status_code == 200, online.text
    return staff_id, headers


async def admin_headers(inbox: Any) -> dict[str, str]:
    """An admin, logged in."""
    return await agent_headers(inbox.runtime, inbox.client, email="admin@linde.test", role="admin")
