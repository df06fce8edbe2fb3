"""Auto-assignment and the dashboard in Debian's chromium, against a real server and data."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from inbox_api.app import create_app
from inbox_api.migrate import upgrade_head
from tests.inbox_api.conftest import SERVICE_TOKEN, RasaPeer, make_settings
from tests.inbox_api.server import running_server
from tests.inbox_api.staff.factories import PASSWORD, make_staff
from tests.inbox_api.tickets.factories import escalation
from tests.inbox_api.web import test_browser
from tests.inbox_api.web.test_browser import Served, _report_conversation

pytestmark = pytest.mark.browser
from playwright.async_api import Browser, Page, expect  # noqa: E402

browser = test_browser.browser
SERVICE = {"Authorization": f"Bearer {SERVICE_TOKEN}"}


@pytest.fixture
async def served(sqlite_url: str, rasa_peer: RasaPeer) -> AsyncIterator[Served]:
    """The inbox under uvicorn with its background passes (assignment, delivery) running."""
    await asyncio.to_thread(upgrade_head, sqlite_url)
    app = create_app(make_settings(sqlite_url, rasa_peer.url, assignment_poll_seconds=0.5))
    async with running_server(app) as url:
        yield Served(url, app.state.runtime)


async def _headers(client: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _login(page: Page, url: str, email: str, path: str, view: str) -> None:
    await page.goto(f"{url}{path}")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("#login-form button[type=submit]")
    await expect(page.locator(view)).to_be_visible()


async def test_an_online_dutch_agent_is_auto_assigned_a_dutch_ticket(
    served: Served, browser: Browser
) -> None:
    await make_staff(served.runtime, email="admin@linde.test", role="admin", name="Beheer")
    daan = await make_staff(served.runtime, email="daan@linde.test", name="Daan", languages=("nl",))
    emma = await make_staff(served.runtime, email="emma@linde.test", name="Emma", languages=("en",))
    async with httpx.AsyncClient(base_url=served.url) as client:
        admin = await _headers(client, "admin@linde.test")
        team = (await client.post("/api/v1/teams", json={"name": "Service"}, headers=admin)).json()
        for member in (daan, emma):
            joined = await client.put(
                f"/api/v1/teams/{team['id']}/members/{member}", json={}, headers=admin
            )
            assert joined.status_code == 200
        emma_headers = await _headers(client, "emma@linde.test")
        await client.put(
            "/api/v1/assignment/me/presence", json={"presence": "online"}, headers=emma_headers
        )

        page = await browser.new_page(locale="nl-NL")
        await _login(page, served.url, "daan@linde.test", "/staff/", "#inbox-view")
        presence = page.locator("#presence")
        await expect(presence).to_have_attribute("data-presence", "away")
        await presence.click()
        await expect(presence).to_have_attribute("data-presence", "online")
        # A plain agent gets no dashboard link.
        await expect(page.locator("#dashboard-link")).to_be_hidden()

        created = await client.post(
            "/api/v1/escalations",
            json=escalation("nl-browser", language="nl", text="Mijn jas is te klein"),
            headers=SERVICE,
        )
        ticket = created.json()["ticket_id"]
        # The handover reaches Daan (the only Dutch speaker online): a notice and the queue.
        notice = page.locator(f".toast.handover[data-ticket-id='{ticket}']")
        await expect(notice).to_contain_text(f"Nieuw ticket voor jou: #{ticket}")
        item = page.locator(f"[data-ticket-id='{ticket}'].queue-item")
        await expect(item).to_contain_text("Daan")
        await notice.locator("a").click()
        await expect(page.locator("#ticket")).to_contain_text("Behandelaar: Daan")
        detail = (await client.get(f"/api/v1/tickets/{ticket}", headers=emma_headers)).json()
        assert detail["assignee"]["id"] == daan


async def _resolve_with_rating(
    client: httpx.AsyncClient,
    rasa_peer: RasaPeer,
    agent: dict[str, str],
    cid: str,
    language: str,
    rating: str | None,
    reply: bool = True,
) -> int:
    created = await client.post(
        "/api/v1/escalations", json=escalation(cid, language=language), headers=SERVICE
    )
    ticket: int = created.json()["ticket_id"]
    calls = len(rasa_peer.calls) + (1 if reply else 0)
    if reply:
        await client.post(
            f"/api/v1/tickets/{ticket}/replies", json={"text": "Klaar"}, headers=agent
        )
    await rasa_peer.wait_for(calls)
    await client.post(
        f"/api/v1/tickets/{ticket}/status", json={"status": "resolved"}, headers=agent
    )
    await rasa_peer.wait_for(calls + 1)
    if rating is not None:
        delivery = rasa_peer.calls[calls]["body"]["entities"]["delivery_id"]
        offered = await client.post(
            "/api/v1/csat/offers",
            json={"delivery_id": delivery, "conversation_id": cid},
            headers=SERVICE,
        )
        assert offered.json()["offered"], offered.text
        answered = await client.post(
            "/api/v1/csat/answers",
            json={"ticket_id": ticket, "conversation_id": cid, "rating": rating},
            headers=SERVICE,
        )
        assert answered.json() == {"status": "recorded"}
    return ticket


def _marks(svg: Any) -> Any:
    return svg.locator("[data-value]")


async def test_the_dashboard_draws_its_charts_from_real_data(
    served: Served, browser: Browser, rasa_peer: RasaPeer, tmp_path: Path
) -> None:
    await make_staff(served.runtime, email="lead@linde.test", role="admin", name="Lotte")
    await make_staff(served.runtime, email="sanne@linde.test", name="Sanne")
    async with httpx.AsyncClient(base_url=served.url, timeout=30) as client:
        sanne = await _headers(client, "sanne@linde.test")
        await _resolve_with_rating(client, rasa_peer, sanne, "d-1", "nl", "5")
        await _resolve_with_rating(client, rasa_peer, sanne, "d-2", "nl", "1")
        await _resolve_with_rating(client, rasa_peer, sanne, "d-3", "en", None, reply=False)
        await client.post(
            "/api/v1/escalations", json=escalation("d-4", language="en"), headers=SERVICE
        )
        # The assistant held four conversations; one of them (d-1) reached a colleague.
        for cid in ("d-1", "bot-1", "bot-2", "bot-3"):
            await _report_conversation(served.url, cid, "nl", "socketio", "product_price")
        lead = await _headers(client, "lead@linde.test")
        expected = (await client.get("/api/v1/dashboard", headers=lead)).json()
        sla_report = (await client.get("/api/v1/sla/report", headers=lead)).json()

    page = await browser.new_page(locale="nl-NL", accept_downloads=True)
    await _login(page, served.url, "lead@linde.test", "/staff/dashboard/", "#dashboard-view")
    charts = page.locator("#charts figure svg")
    # Fourteen days of SLA reports on a busy machine: allow the first drawing some time.
    await expect(charts).to_have_count(8, timeout=60_000)
    # Tickets by language: the bars carry exactly the numbers in the database.
    languages = _marks(page.locator("#chart-by_language svg"))
    await expect(languages).to_have_count(2)
    drawn = {
        await bar.get_attribute("data-label"): await bar.get_attribute("data-value")
        for bar in await languages.all()
    }
    assert drawn == {"nl": "2", "en": "2"}
    assert expected["by_language"] == {"en": 2, "nl": 2}
    # Satisfaction today: one of the two answers was 4-5.
    csat = page.locator("#chart-csat svg circle.point")
    await expect(csat).to_have_count(1)
    assert await csat.get_attribute("data-value") == "0.5"
    # Containment is the SLA report's: three of four conversations never reached a colleague.
    contained = page.locator("#chart-containment svg circle.point")
    assert await contained.get_attribute("data-value") == "0.75"
    assert sla_report["containment"]["overall"]["containment"] == 0.75
    assert expected["containment"][-1] == 0.75
    # The first-response histogram counts every ticket once (two answered, two not).
    histogram = [
        float(await b.get_attribute("data-value") or 0)
        for b in await _marks(page.locator("#chart-first_response svg")).all()
    ]
    assert sum(histogram) == 4 and histogram[-1] == 2
    agents = page.locator("#chart-agents svg rect.bar[data-label='Sanne']")
    await expect(agents).to_have_count(2)
    # The bad rating waits for a lead; done takes it off the list.
    follow_up = page.locator("#follow-ups li[data-follow-up]")
    await expect(follow_up).to_have_count(1)
    await follow_up.locator("button").click()
    await expect(page.locator("#follow-ups li[data-follow-up]")).to_have_count(0)

    async with page.expect_download() as download_info:
        await page.click("#export")
    target = tmp_path / "dashboard.csv"
    await (await download_info.value).save_as(target)
    text = target.read_text("utf-8")
    assert text.startswith("section,series,label,value")
    assert "tickets_by_language,tickets,nl,2" in text
    # The ticket no colleague answered was never assigned to Sanne.
    assert "agent_load,resolved,Sanne,2" in text

    # English titles when the page switches language.
    await page.click("#lang-toggle")
    await expect(page.locator("#chart-by_language svg title").first).to_have_text(
        "Tickets by language"
    )


async def test_agents_are_sent_away_from_the_dashboard(served: Served, browser: Browser) -> None:
    await make_staff(served.runtime, email="agent@linde.test", name="Sam")
    page = await browser.new_page(locale="nl-NL")
    await page.goto(f"{served.url}/staff/dashboard/")
    await page.fill("input[name=email]", "agent@linde.test")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("#login-form button[type=submit]")
    await expect(page.locator("#login-error")).to_have_text(
        "Het dashboard is voor beheerders en teamleiders."
    )
    await expect(page.locator("#dashboard-view")).to_be_hidden()


async def test_an_admin_sets_up_a_team_on_the_teams_page_and_it_assigns(
    served: Served, browser: Browser
) -> None:
    await make_staff(served.runtime, email="admin@linde.test", role="admin", name="Beheer")
    odd = '<img src=x onerror="window.__xss=1">'
    daan = await make_staff(served.runtime, email="daan@linde.test", name="Daan", languages=("en",))
    await make_staff(served.runtime, email="odd@linde.test", name=odd, languages=("nl",))
    page = await browser.new_page(locale="nl-NL")
    await _login(page, served.url, "admin@linde.test", "/staff/", "#inbox-view")
    await page.click("#teams-link")
    await expect(page.locator("#manage")).to_be_visible()

    # A new team: auto-assignment off at first, at most 2 open tickets each.
    editor = page.locator("#editor")
    await editor.locator("input[name=name]").fill("Service NL")
    await editor.locator("input[name=auto_assign]").uncheck()
    await editor.locator("input[name=max_open_per_agent]").fill("2")
    await editor.locator("button[type=submit]").click()
    row = page.locator("#teams tr", has_text="Service NL")
    await expect(row.locator(".auto")).to_have_text("uit")
    await expect(row.locator(".cap")).to_have_text("2")

    # Daan joins and answers in Dutch from now on; a name that looks like HTML stays text.
    members = page.locator("#member-editor")
    await expect(members).to_be_visible()
    add = page.locator("#add-member")
    await expect(add.locator("select option", has_text=odd)).to_have_count(1)
    await add.locator("select").select_option(str(daan))
    await expect(add.locator("input[name=en]")).to_be_checked()
    await add.locator("input[name=nl]").check()
    await add.locator("input[name=en]").uncheck()
    await add.locator("input[name=lead]").check()
    await add.locator("button[type=submit]").click()
    member = page.locator(f"#members tr[data-staff-id='{daan}']")
    await expect(member.locator("input[name=nl]")).to_be_checked()
    await expect(member.locator("input[name=en]")).not_to_be_checked()
    await expect(row.locator(".member-names")).to_have_text("Daan ★")

    # Auto-assignment on.
    await editor.locator("input[name=auto_assign]").check()
    await editor.locator("button[type=submit]").click()
    await expect(row.locator(".auto")).to_have_text("aan")

    # Every change is in the audit trail, newest first, with who made it.
    changes = page.locator("#changes li")
    await expect(changes).to_have_count(3)
    await expect(changes.nth(0)).to_contain_text("Service NL gewijzigd")
    await expect(changes.nth(0)).to_contain_text("Automatisch toewijzen: aan")
    await expect(changes.nth(1)).to_contain_text("lid toegevoegd")
    await expect(changes.nth(1)).to_contain_text("Daan (NL) ★")
    await expect(changes.nth(2)).to_contain_text("Service NL aangemaakt")
    await expect(changes.nth(2)).to_contain_text("Beheer")
    assert await page.evaluate("window.__xss") is None

    # English strings on the language toggle.
    await page.click("#lang-toggle")
    await expect(row.locator(".auto")).to_have_text("on")
    await expect(changes.nth(1)).to_contain_text("member added")

    # What the page set up works: Daan online gets the Dutch handover.
    async with httpx.AsyncClient(base_url=served.url) as client:
        daan_headers = await _headers(client, "daan@linde.test")
        await client.put(
            "/api/v1/assignment/me/presence", json={"presence": "online"}, headers=daan_headers
        )
        created = await client.post(
            "/api/v1/escalations", json=escalation("teams-page", language="nl"), headers=SERVICE
        )
        ticket = created.json()["ticket_id"]
        for _ in range(100):
            detail = (await client.get(f"/api/v1/tickets/{ticket}", headers=daan_headers)).json()
            if detail["assignee"]:
                break
            await asyncio.sleep(0.1)
        assert detail["assignee"]["id"] == daan


async def test_the_teams_page_is_for_admins(served: Served, browser: Browser) -> None:
    await make_staff(served.runtime, email="agent@linde.test", name="Sam")
    page = await browser.new_page(locale="nl-NL")
    await _login(page, served.url, "agent@linde.test", "/staff/", "#inbox-view")
    await expect(page.locator("#teams-link")).to_have_count(0)
    await page.goto(f"{served.url}/staff/teams/")
    await expect(page.locator("#not-admin")).to_have_text("Alleen beheerders beheren teams.")
    await expect(page.locator("#manage")).to_be_hidden()


async def test_the_saved_replies_page_opens_for_an_admin(served: Served, browser: Browser) -> None:
    await make_staff(served.runtime, email="admin@linde.test", role="admin", name="Beheer")
    async with httpx.AsyncClient(base_url=served.url) as client:
        admin = await _headers(client, "admin@linde.test")
        created = await client.post(
            "/api/v1/saved-replies",
            json={"shortcut": "hallo", "title": "Begroeting", "body_nl": "Hoi!"},
            headers=admin,
        )
        assert created.status_code == 201, created.text
    page = await browser.new_page(locale="nl-NL")
    await _login(page, served.url, "admin@linde.test", "/staff/", "#inbox-view")
    await page.click("#saved-replies-link")
    row = page.locator("#replies tr[data-shortcut='hallo']")
    await expect(row.locator("td[data-lang='en']")).to_have_text("ontbreekt")
    await expect(page.locator("#whoami")).to_have_text("Beheer (admin)")
