"""@mentions in internal notes notify the colleague: in the list, and live to them alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from inbox_api.app import create_app
from inbox_api.migrate import upgrade_head
from inbox_api.notifications.mentions import mentionable, mentioned_ids
from tests.inbox_api.conftest import Inbox, RasaPeer, make_settings
from tests.inbox_api.server import running_server
from tests.inbox_api.staff.factories import login_headers, make_staff
from tests.inbox_api.staff.test_accounts import _stream_events
from tests.inbox_api.tickets.factories import escalation

PEOPLE = mentionable([
    (1, "Sanne de Vries", "s.devries@linde.test"),
    (2, "Daan Bakker", "d.bakker@linde.test"),
    (3, "Sanne Jansen", "s.jansen@linde.test"),
])


def test_handles_and_unique_first_names_name_colleagues() -> None:
    assert mentioned_ids("@d.bakker kijk jij even?", PEOPLE) == [2]
    assert mentioned_ids("@Daan, en @DAAN nog eens.", PEOPLE) == [2]
    # Two colleagues are called Sanne: the first name names nobody, the handle does.
    assert mentioned_ids("@Sanne?", PEOPLE) == []
    assert mentioned_ids("@s.devries @s.jansen.", PEOPLE) == [1, 3]
    # E-mail addresses and unknown names are not mentions.
    assert mentioned_ids("mail klant@sanne.nl of @nobody", PEOPLE) == []


@pytest.fixture
async def served(sqlite_url: str, rasa_peer: RasaPeer) -> AsyncIterator[tuple[str, Inbox]]:
    """The inbox under uvicorn (live streams need a real server)."""
    await asyncio.to_thread(upgrade_head, sqlite_url)
    app = create_app(make_settings(sqlite_url, rasa_peer.url))
    async with running_server(app) as url, httpx.AsyncClient(base_url=url) as client:
        yield url, Inbox(app, client)


async def test_a_mention_notifies_the_colleague_alone(
    served: tuple[str, Inbox], service_headers: dict[str, str]
) -> None:
    url, inbox = served
    await make_staff(inbox.runtime, email="sanne@linde.test", name="Sanne de Vries")
    daan_id = await make_staff(inbox.runtime, email="d.bakker@linde.test", name="Daan Bakker")
    await make_staff(inbox.runtime, email="eva@linde.test", name="Eva Smit")
    sanne = await login_headers(inbox.client, "sanne@linde.test")
    daan = await login_headers(inbox.client, "d.bakker@linde.test")
    eva = await login_headers(inbox.client, "eva@linde.test")
    ticket = (
        await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    ).json()["ticket_id"]
    handles = (await inbox.client.get("/api/v1/notifications/mentionable", headers=eva)).json()
    assert [h["handle"] for h in handles] == ["d.bakker", "eva", "sanne"]

    async def first_notification(headers: dict[str, str]) -> dict[str, object]:
        token = headers["Authorization"].removeprefix("Bearer ")
        async for kind, data in _stream_events(url, token):
            if kind == "notification.created":
                return data
        raise AssertionError("stream ended")

    daan_live = asyncio.create_task(first_notification(daan))
    eva_live = asyncio.create_task(first_notification(eva))
    await asyncio.sleep(0.5)
    note = await inbox.client.post(
        f"/api/v1/tickets/{ticket}/notes",
        json={"text": "@Daan weet jij of de Lina terugkomt? (@sanne: ik zelf)"},
        headers=sanne,
    )
    assert note.status_code == 201
    async with asyncio.timeout(10):
        event = await daan_live
    assert event["ticket_id"] == ticket and event["for_staff_id"] == daan_id
    await asyncio.sleep(0.5)
    assert not eva_live.done()  # Eva was not mentioned: her stream stays quiet
    eva_live.cancel()

    listed = (await inbox.client.get("/api/v1/notifications", headers=daan)).json()
    assert listed["unread"] == 1
    [item] = listed["items"]
    assert item["ticket_id"] == ticket and item["by"]["name"] == "Sanne de Vries"
    assert item["preview"].startswith("@Daan weet jij") and item["read_at"] is None
    # The author mentioning herself, and Eva, get nothing.
    for other in (sanne, eva):
        assert (await inbox.client.get("/api/v1/notifications", headers=other)).json() == {
            "items": [], "unread": 0,
        }
    # Only the owner can mark it read.
    path = f"/api/v1/notifications/{item['id']}/read"
    assert (await inbox.client.post(path, headers=eva)).status_code == 404
    assert (await inbox.client.post(path, headers=daan)).status_code == 204
    assert (await inbox.client.get("/api/v1/notifications", headers=daan)).json()["unread"] == 0
    assert (await inbox.client.post("/api/v1/notifications/read", headers=daan)).status_code == 204
    missing = await inbox.client.post("/api/v1/notifications/999999/read", headers=daan)
    assert missing.status_code == 404
    assert (await inbox.client.get("/api/v1/notifications")).status_code == 401
