"""Every change to a team, its rules and members is audited; members' languages are set there."""

from __future__ import annotations

from tests.inbox_api.assignment.factories import admin_headers, make_team
from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers, make_staff


async def test_team_changes_say_who_changed_what_and_languages_follow(inbox: Inbox) -> None:
    admin = await admin_headers(inbox)
    team = await make_team(inbox.client, admin, name="Service", max_open_per_agent=3)
    eva = await make_staff(inbox.runtime, email="eva@linde.test", name="Eva", languages=("nl",))
    joined = await inbox.client.put(
        f"/api/v1/teams/{team}/members/{eva}", json={"languages": ["en", "nl"]}, headers=admin
    )
    assert joined.status_code == 200, joined.text
    assert joined.json()["members"][0]["languages"] == ["en", "nl"]
    # The same rules again are no change and leave no trail.
    for _ in range(2):
        await inbox.client.patch(
            f"/api/v1/teams/{team}", json={"auto_assign": False}, headers=admin
        )
    gone = await inbox.client.delete(f"/api/v1/teams/{team}/members/{eva}", headers=admin)
    assert gone.status_code == 204

    changes = (await inbox.client.get("/api/v1/teams/changes", headers=admin)).json()
    assert [c["action"] for c in changes] == [
        "member_removed", "updated", "member_added", "created",
    ]
    assert changes[1]["before"]["auto_assign"] is True
    assert changes[1]["after"]["auto_assign"] is False
    assert changes[2]["after"] == {"staff_id": eva, "name": "Eva", "languages": ["en", "nl"],
                                   "lead": False}
    assert changes[3]["after"]["max_open_per_agent"] == 3
    # One admin made them all, named in each.
    assert len({(c["staff"]["id"], c["staff"]["name"]) for c in changes}) == 1
    staff = (await inbox.client.get("/api/v1/teams/staff", headers=admin)).json()
    assert {s["name"]: s["languages"] for s in staff}["Eva"] == ["en", "nl"]

    agent = await agent_headers(inbox.runtime, inbox.client, "sam@linde.test")
    for path in ("/api/v1/teams/changes", "/api/v1/teams/staff"):
        assert (await inbox.client.get(path, headers=agent)).status_code == 403
    bad = await inbox.client.put(
        f"/api/v1/teams/{team}/members/{eva}", json={"languages": ["de"]}, headers=admin
    )
    assert bad.status_code == 422
