"""Login, tokens, roles and the language offer."""

from __future__ import annotations

from datetime import timedelta

import jwt

from inbox_api.staff.security import hash_password, issue_token, verify_password
from kit.clock import utc_now
from tests.inbox_api.conftest import JWT_SECRET, Inbox
from tests.inbox_api.staff.factories import PASSWORD, agent_headers, make_staff
from tests.inbox_api.tickets.factories import escalation


def test_passwords_are_hashed_with_argon2() -> None:
    stored = hash_password("geheim-wachtwoord")
    assert stored.startswith("$argon2id$") and "geheim" not in stored
    assert verify_password(stored, "geheim-wachtwoord")
    assert not verify_password(stored, "fout")
    assert not verify_password("not a hash", "fout")


async def test_login_issues_a_token_that_opens_the_api(inbox: Inbox) -> None:
    await make_staff(inbox.runtime, email="eva@linde.test", name="Eva")
    wrong = await inbox.client.post(
        "/api/v1/auth/login", json={"email": "eva@linde.test", "password": "nope"}
    )
    unknown = await inbox.client.post(
        "/api/v1/auth/login", json={"email": "who@linde.test", "password": PASSWORD}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"detail": "Unknown e-mail address or wrong password."}
    ok = await inbox.client.post(
        "/api/v1/auth/login", json={"email": "EVA@linde.test ", "password": PASSWORD}
    )
    assert ok.status_code == 200
    token = ok.json()["access_token"]
    me = await inbox.client.get("/api/v1/staff/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["name"] == "Eva" and me.json()["languages"] == ["nl", "en"]


async def test_expired_forged_and_orphaned_tokens_are_refused(inbox: Inbox) -> None:
    staff_id = await make_staff(inbox.runtime)
    expired = issue_token(JWT_SECRET, staff_id, "agent", utc_now() - timedelta(days=2), 60)
    forged = jwt.encode(
        {"sub": str(staff_id), "role": "admin", "exp": utc_now() + timedelta(hours=1)}, "x" * 32
    )
    orphan = issue_token(JWT_SECRET, 9999, "admin", utc_now(), 60)
    for token in (expired, forged, orphan):
        response = await inbox.client.get(
            "/api/v1/tickets", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


async def test_admins_manage_staff(inbox: Inbox) -> None:
    admin = await agent_headers(inbox.runtime, inbox.client, email="boss@linde.test", role="admin")
    body = {
        "email": "new@linde.test",
        "name": "Noor",
        "role": "agent",
        "languages": ["en"],
        "password": "long enough",
    }
    created = await inbox.client.post("/api/v1/staff", json=body, headers=admin)
    assert created.status_code == 201 and created.json()["languages"] == ["en"]
    short = await inbox.client.post(
        "/api/v1/staff", json={**body, "password": "short"}, headers=admin
    )
    assert short.status_code == 422 and "password" in short.json()["detail"]


async def test_a_dutch_ticket_is_offered_to_dutch_speakers_first(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    dutch = await agent_headers(
        inbox.runtime, inbox.client, email="nl@linde.test", languages=("nl",)
    )
    english = await agent_headers(
        inbox.runtime, inbox.client, email="en@linde.test", languages=("en",)
    )
    ticket_id = (
        await inbox.client.post(
            "/api/v1/escalations", json=escalation("c-nl"), headers=service_headers
        )
    ).json()["ticket_id"]
    en_ticket = (
        await inbox.client.post(
            "/api/v1/escalations", json=escalation("c-en", language="en"), headers=service_headers
        )
    ).json()["ticket_id"]

    en_queue = (await inbox.client.get("/api/v1/tickets", headers=english)).json()
    assert [t["id"] for t in en_queue["items"]] == [en_ticket]
    nl_queue = (await inbox.client.get("/api/v1/tickets", headers=dutch)).json()
    assert [t["id"] for t in nl_queue["items"]] == [ticket_id]
    refused = await inbox.client.post(f"/api/v1/tickets/{ticket_id}/claim", headers=english)
    assert (
        refused.status_code == 403
        and "offered to colleagues who speak it" in refused.json()["detail"]
    )
    claimed = await inbox.client.post(f"/api/v1/tickets/{ticket_id}/claim", headers=dutch)
    assert claimed.status_code == 200
    taken = await inbox.client.post(f"/api/v1/tickets/{ticket_id}/claim", headers=english)
    assert taken.status_code in (403, 409)


async def test_after_the_offer_window_anyone_may_claim(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    inbox.runtime.settings.language_offer_minutes = 0
    await agent_headers(inbox.runtime, inbox.client, email="nl@linde.test", languages=("nl",))
    english = await agent_headers(
        inbox.runtime, inbox.client, email="en@linde.test", languages=("en",)
    )
    ticket_id = (
        await inbox.client.post(
            "/api/v1/escalations", json=escalation("c-nl"), headers=service_headers
        )
    ).json()["ticket_id"]
    queue = (await inbox.client.get("/api/v1/tickets", headers=english)).json()
    assert [t["id"] for t in queue["items"]] == [ticket_id]
    assert (
        await inbox.client.post(f"/api/v1/tickets/{ticket_id}/claim", headers=english)
    ).status_code == 200


async def test_without_a_jwt_secret_login_says_what_is_missing(inbox: Inbox) -> None:
    await make_staff(inbox.runtime, email="eva@linde.test")
    inbox.runtime.settings.jwt_secret = ""
    response = await inbox.client.post(
        "/api/v1/auth/login", json={"email": "eva@linde.test", "password": PASSWORD}
    )
    assert response.status_code == 503
    assert "INBOX_JWT_SECRET" in response.json()["detail"]
