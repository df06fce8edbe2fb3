"""The staff page and the demo page in Debian's chromium, against a real server."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web

from inbox_api.app import create_app
from inbox_api.migrate import upgrade_head
from inbox_api.runtime import Runtime
from tests.inbox_api.conftest import SERVICE_TOKEN, RasaPeer, make_settings
from tests.inbox_api.server import running_server
from tests.inbox_api.staff.factories import PASSWORD, make_staff
from tests.inbox_api.tickets.factories import escalation
from tests.training.factories import make_project
from tests.training.workers import running_worker
from training.settings import TrainingSettings

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> & "quotes"'

if not Path(CHROMIUM).exists():
    # On CI a missing browser is a broken set-up, not a reason to pass quietly.
    if os.environ.get("CI"):
        pytest.fail("Debian's chromium is missing: apt-get install -y chromium", pytrace=False)
    pytest.skip(
        "Debian's chromium is not installed (apt-get install -y chromium)", allow_module_level=True
    )

from playwright.async_api import Browser, Page, async_playwright, expect  # noqa: E402


@dataclass
class Served:
    """A real inbox server on a free port."""

    url: str
    runtime: Runtime


@pytest.fixture
async def served(tmp_path: Path, sqlite_url: str, rasa_peer: RasaPeer) -> AsyncIterator[Served]:
    """The inbox API under uvicorn, as a browser reaches it (NLU data in a tmp copy)."""
    await asyncio.to_thread(upgrade_head, sqlite_url)
    app = create_app(make_settings(sqlite_url, rasa_peer.url, public_rasa_url=rasa_peer.url))
    project = make_project(tmp_path / "project")
    training = TrainingSettings(
        root_dir=project.root, models_dir=project.models, database_url=sqlite_url
    )
    async with running_server(app) as url, running_worker(training):
        yield Served(url, app.state.runtime)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's chromium, headless (Playwright never downloads a browser here)."""
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


async def _escalate(url: str, body: dict[str, Any]) -> int:
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.post(
            "/api/v1/escalations", json=body, headers={"Authorization": f"Bearer {SERVICE_TOKEN}"}
        )
        assert response.status_code in (200, 201), response.text
        ticket_id: int = response.json()["ticket_id"]
        return ticket_id


async def _login(page: Page, url: str, email: str, path: str = "/staff/") -> None:
    await page.goto(f"{url}{path}")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", PASSWORD)
    await page.click("#login-form button[type=submit]")
    await expect(page.locator("#inbox-view")).to_be_visible()


async def test_agent_works_a_ticket_in_the_browser(
    served: Served, browser: Browser, rasa_peer: RasaPeer
) -> None:
    await make_staff(served.runtime, email="sanne@linde.test", name="Sanne")
    first = await _escalate(served.url, escalation("conv-web", text=XSS))
    page = await browser.new_page(locale="nl-NL")
    dialogs: list[str] = []
    page.on("dialog", lambda d: dialogs.append(d.message))
    await _login(page, served.url, "sanne@linde.test")
    # Agents get no link to the trainer page.
    await expect(page.locator("#training-link")).to_be_hidden()

    item = page.locator(f"[data-ticket-id='{first}']")
    await expect(item).to_be_visible()
    # Customer text is shown literally and never runs.
    await expect(item.locator(".preview")).to_have_text(XSS)
    assert await page.evaluate("window.__xss") is None
    assert await page.locator("#queue img").count() == 0
    # The countdown ticks.
    countdown = item.locator(".countdown")
    before = await countdown.text_content()
    assert before and before.startswith("nog ")
    await expect(countdown).not_to_have_text(before, timeout=3000)
    await expect(page.locator("#live-state")).to_have_text("live")

    # A new escalation appears without a reload (live update).
    second = await _escalate(
        served.url,
        escalation("conv-web-2", language="en", reason="human_handoff", text="Where is my order?"),
    )
    await expect(page.locator(f"[data-ticket-id='{second}']")).to_be_visible()
    await expect(page.locator(".toast").first).to_contain_text(f"#{second}")

    # Filters.
    await page.select_option("#filters select[name=language]", "en")
    await expect(page.locator(".queue-item")).to_have_count(1)
    await expect(page.locator(f"[data-ticket-id='{second}']")).to_be_visible()
    await page.select_option("#filters select[name=language]", "")
    await expect(page.locator(".queue-item")).to_have_count(2)
    # Who wanted the ticket: the customer asked (human_handoff) or the assistant handed over.
    await expect(item.locator(".badge.reason-assistant")).to_have_text("Assistent gaf het door")
    await page.select_option("#filters select[name=reason_class]", "customer_request")
    await expect(page.locator(".queue-item")).to_have_count(1)
    await expect(
        page.locator(f"[data-ticket-id='{second}'] .badge.reason-customer_request")
    ).to_have_text("Klant vroeg erom")
    await page.select_option("#filters select[name=reason_class]", "")
    await expect(page.locator(".queue-item")).to_have_count(2)

    # The ticket view: packet, transcript, SLA clocks.
    await item.click()
    ticket = page.locator("#ticket")
    await expect(ticket.locator("h2")).to_have_text(f"Ticket #{first}")
    await expect(ticket.locator(".packet")).to_contain_text("order_status (41%)")
    await expect(ticket.locator(".packet")).to_contain_text("order_number: LC-1234")
    await expect(ticket.locator(".transcript li")).to_have_count(3)
    await expect(ticket.locator("#messages .msg.customer .text").first).to_have_text(XSS)
    await expect(ticket.locator("tr[data-metric=first_response] .clock-state")).to_have_text(
        "loopt"
    )

    await ticket.locator("#claim").click()
    await expect(ticket.locator(".muted.small").first).to_contain_text("Sanne")
    await ticket.locator("#note-form textarea").fill("Even checken bij het magazijn")
    await ticket.locator("#note-form button").click()
    await expect(ticket.locator("#messages .msg.note .text")).to_have_text(
        "Even checken bij het magazijn"
    )
    await ticket.locator("#reply-form textarea").fill("Hoi! Je pakket komt morgen <b>echt</b>.")
    # The customer writes again while the agent types: the message appears, the draft survives.
    await _escalate(
        served.url, escalation("conv-web", reason="customer_message", text="Nog nieuws?")
    )
    await expect(ticket.locator("#messages .msg.customer")).to_have_count(2)
    await expect(ticket.locator("#reply-form textarea")).to_have_value(
        "Hoi! Je pakket komt morgen <b>echt</b>."
    )
    await ticket.locator("#reply-form button").click()
    await rasa_peer.wait_for(1)
    assert rasa_peer.texts("conv-web") == ["Hoi! Je pakket komt morgen <b>echt</b>."]
    agent_line = ticket.locator("#messages .msg.agent")
    await expect(agent_line.locator(".text")).to_have_text(
        "Hoi! Je pakket komt morgen <b>echt</b>."
    )
    await expect(agent_line.locator(".delivery")).to_have_text("afgeleverd")
    await expect(ticket.locator("tr[data-metric=first_response] .clock-state")).to_have_text(
        "gehaald"
    )

    # English page strings, then resolve (hand-back).
    await page.click("#lang-toggle")
    await expect(ticket.locator("#resolve")).to_have_text("Resolve")
    await expect(page.locator("#login-view h1")).to_have_text("Log in")
    await ticket.locator("#resolve").click()
    await expect(ticket.locator("#ticket-status")).to_have_text("Resolved")
    await rasa_peer.wait_for(2)
    handback = rasa_peer.calls[-1]["body"]
    # Signed, so the action server can tell it came from the inbox (not typed by a customer).
    assert handback["name"] == "EXTERNAL_handback"
    assert set(handback["entities"]) == {"delivery_id", "delivery_signature"}
    await expect(page.locator(f"#queue [data-ticket-id='{first}']")).to_have_count(0)
    assert dialogs == []
    assert await page.evaluate("window.__xss") is None


async def test_page_strings_exist_in_both_languages(served: Served, browser: Browser) -> None:
    page = await browser.new_page()
    await page.goto(f"{served.url}/staff/")
    missing = await page.evaluate(
        """() => {
          const nl = Object.keys(I18N.nl), en = Object.keys(I18N.en);
          const used = [...document.querySelectorAll('[data-i18n]')].map(n => n.dataset.i18n);
          return {
            onlyNl: nl.filter(k => !en.includes(k)),
            onlyEn: en.filter(k => !nl.includes(k)),
            unknown: used.filter(k => !nl.includes(k)),
            empty: [...nl.filter(k => !I18N.nl[k]), ...en.filter(k => !I18N.en[k])],
          };
        }"""
    )
    assert missing == {"onlyNl": [], "onlyEn": [], "unknown": [], "empty": []}


async def test_wrong_password_shows_a_message(served: Served, browser: Browser) -> None:
    await make_staff(served.runtime, email="sanne@linde.test")
    page = await browser.new_page(locale="en-GB")
    await page.goto(f"{served.url}/staff/")
    await page.fill("input[name=email]", "sanne@linde.test")
    await page.fill("input[name=password]", "wrong password")
    await page.click("#login-form button[type=submit]")
    await expect(page.locator("#login-error")).to_have_text(
        re.compile(r"Login failed: Unknown e-mail address or wrong password\.")
    )
    await expect(page.locator("#inbox-view")).to_be_hidden()


async def test_a_login_flood_shows_when_to_try_again(served: Served, browser: Browser) -> None:
    await make_staff(served.runtime, email="sanne@linde.test")
    page = await browser.new_page(locale="en-GB")
    await page.goto(f"{served.url}/staff/")
    error = page.locator("#login-error")
    for attempt in range(6):
        await page.fill("input[name=email]", "sanne@linde.test")
        await page.fill("input[name=password]", "guess" if attempt < 5 else PASSWORD)
        await page.click("#login-form button[type=submit]")
        if attempt < 5:
            await expect(error).to_have_text(re.compile(r"wrong password"))
            await page.evaluate("document.querySelector('#login-error').textContent = ''")
    await expect(error).to_have_text(
        "Login failed: Too many failed logins; try again in 15 minutes."
    )
    await expect(page.locator("#inbox-view")).to_be_hidden()


@pytest.fixture
async def socketio_rasa() -> AsyncIterator[tuple[str, list[dict[str, Any]]]]:
    """A socket.io server that speaks like Rasa's channel and echoes each message."""
    import socketio

    received: list[dict[str, Any]] = []
    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")

    @sio.on("session_request")  # type: ignore[untyped-decorator,unused-ignore]
    async def session_request(sid: str, data: dict[str, Any]) -> None:
        await sio.emit("session_confirm", data["session_id"], room=sid)

    @sio.on("user_uttered")  # type: ignore[untyped-decorator,unused-ignore]
    async def user_uttered(sid: str, data: dict[str, Any]) -> None:
        received.append(data)
        await sio.emit("bot_uttered", {"text": f"Je zei: {data['message']}"}, room=sid)

    app = web.Application()
    sio.attach(app, socketio_path="socket.io")
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}", received
    finally:
        await runner.cleanup()


async def test_demo_chat_widget_talks_socketio(
    sqlite_url: str, rasa_peer: RasaPeer, browser: Browser, socketio_rasa: tuple[str, list[Any]]
) -> None:
    url, received = socketio_rasa
    await asyncio.to_thread(upgrade_head, sqlite_url)
    app = create_app(make_settings(sqlite_url, rasa_peer.url, public_rasa_url=url))
    async with running_server(app) as inbox_url:
        page = await browser.new_page(locale="en-GB")
        await page.goto(f"{inbox_url}/demo/")
        await expect(page.locator("#chat-state")).to_have_text("connected")
        await page.fill("#chat-input", "<b>Hoi</b>")
        await page.click("#chat-form button")
        await expect(page.locator("#chat-log li.bot")).to_have_text("Je zei: <b>Hoi</b>")
        session = await page.locator("#session-id").text_content()
        assert received == [{"message": "<b>Hoi</b>", "session_id": session}]
        await page.click("#lang-toggle")
        await expect(page.locator(".chat h2")).to_have_text("Chat met ons")
        await page.close()  # closes the websocket before the servers stop


async def _api_token(url: str, email: str) -> dict[str, str]:
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.post(
            "/api/v1/auth/login", json={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_admin_follows_review_links_to_tickets_and_back(
    served: Served, browser: Browser
) -> None:
    await make_staff(served.runtime, email="ada@linde.test", name="Ada", role="admin")
    first = await _escalate(served.url, escalation("conv-a", text="Waar is mijn jas?"))
    second = await _escalate(
        served.url, escalation("conv-b", language="en", text="Can I swap my coat?")
    )
    page = await browser.new_page(locale="nl-NL")
    # The admin starts on the trainer page and follows the review item's ticket link.
    await page.goto(f"{served.url}/staff/training/")
    await page.fill("input[name=email]", "ada@linde.test")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("#login-form button[type=submit]")
    await page.locator(f".review-item a[href='/staff/#ticket-{second}']").click()
    await expect(page).to_have_url(f"{served.url}/staff/#ticket-{second}")
    ticket = page.locator("#ticket")
    await expect(ticket.locator("h2")).to_have_text(f"Ticket #{second}")
    await expect(page.locator(f"#queue [data-ticket-id='{second}']")).to_have_class(
        re.compile(r"\bactive\b")
    )

    # Another link followed in the same page (the hash changes, no reload).
    await page.evaluate(f"location.hash = '#ticket-{first}'")
    await expect(ticket.locator("h2")).to_have_text(f"Ticket #{first}")
    # Picking a ticket in the queue puts it in the address, so a reload keeps it open.
    await page.locator(f"#queue [data-ticket-id='{second}']").click()
    await expect(page).to_have_url(f"{served.url}/staff/#ticket-{second}")
    await page.reload()
    await expect(ticket.locator("h2")).to_have_text(f"Ticket #{second}")

    # The header links back to the trainer page.
    link = page.locator("#training-link")
    await expect(link).to_be_visible()
    await expect(link).to_have_text("Training")
    await link.click()
    await expect(page).to_have_url(f"{served.url}/staff/training/")
    await expect(page.locator(".review-item")).to_have_count(2)


async def test_trainer_is_pointed_to_the_training_page(served: Served, browser: Browser) -> None:
    await make_staff(served.runtime, email="tess@linde.test", name="Tess", role="trainer")
    page = await browser.new_page(locale="en-GB")
    await page.goto(f"{served.url}/staff/")
    await page.fill("input[name=email]", "tess@linde.test")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("#login-form button[type=submit]")
    # Trainers may not work tickets: no inbox, but a way to their own page, in both languages.
    notice = page.locator("#role-view")
    await expect(notice).to_be_visible()
    await expect(notice.locator("p")).to_have_text(
        "Tickets are for agents and admins. As a trainer you work on the training page."
    )
    await expect(page.locator("#inbox-view")).to_be_hidden()
    await expect(page.locator("#whoami")).to_have_text("Tess (trainer)")
    await page.click("#lang-toggle")
    await expect(page.locator("#training-link")).to_be_visible()
    await expect(notice.locator("a")).to_have_text("Naar de trainingspagina")
    await page.click("#training-link")
    await expect(page).to_have_url(f"{served.url}/staff/training/")
    # Still logged in there (the same session token).
    await expect(page.locator("#trainer-view")).to_be_visible()
    await page.go_back()
    await page.click("#logout")
    await expect(page.locator("#training-link")).to_be_hidden()
    await expect(notice).to_be_hidden()


async def test_agent_suggests_the_intent_when_resolving(served: Served, browser: Browser) -> None:
    await make_staff(served.runtime, email="sanne@linde.test", name="Sanne")
    await make_staff(served.runtime, email="tess@linde.test", name="Tess", role="trainer")
    first = await _escalate(served.url, escalation("conv-s1", text="Mag ik dit terugsturen?"))
    second = await _escalate(served.url, escalation("conv-s2", text="Hallo?"))
    agent = await _api_token(served.url, "sanne@linde.test")
    async with httpx.AsyncClient(base_url=served.url, headers=agent) as client:
        domain = (await client.get("/api/v1/review/domain")).json()
    assert "return_policy" in domain["intents"]

    page = await browser.new_page(locale="nl-NL")
    await _login(page, served.url, "sanne@linde.test", f"/staff/#ticket-{first}")
    ticket = page.locator("#ticket")
    await expect(ticket.locator("h2")).to_have_text(f"Ticket #{first}")
    picker = ticket.locator("#suggest-intent")
    await expect(ticket.locator("label.suggest span")).to_have_text("Wat bedoelde de klant?")
    options = await picker.locator("option").evaluate_all(
        "nodes => nodes.map(n => [n.value, n.textContent])"
    )
    assert options == [["", "Geen suggestie"]] + [[i, i] for i in domain["intents"]]
    await expect(picker).to_have_value("")

    await picker.select_option("return_policy")
    # The customer writes again: the page re-renders, the choice survives.
    await _escalate(served.url, escalation("conv-s1", reason="customer_message", text="Nog iets?"))
    await expect(ticket.locator("#messages .msg.customer")).to_have_count(2)
    await expect(ticket.locator("#suggest-intent")).to_have_value("return_policy")
    await ticket.locator("#resolve").click()
    await expect(ticket.locator("#ticket-status")).to_have_text("Opgelost")
    await expect(
        page.locator(".toast", has_text="Suggestie voor de trainer opgeslagen")
    ).to_have_text("Suggestie voor de trainer opgeslagen: return_policy")
    await expect(ticket.locator("#suggest-intent")).to_have_count(0)

    # The second ticket is resolved without a suggestion, in English.
    await page.click("#lang-toggle")
    await page.evaluate(f"location.hash = '#ticket-{second}'")
    await expect(ticket.locator("h2")).to_have_text(f"Ticket #{second}")
    await expect(ticket.locator("label.suggest span")).to_have_text("What did the customer mean?")
    await expect(ticket.locator("#suggest-intent option").first).to_have_text("No suggestion")
    await ticket.locator("#resolve").click()
    await expect(ticket.locator("#ticket-status")).to_have_text("Resolved")

    # The trainer's review queue carries the agent's suggestion (it pre-fills the label).
    trainer = await _api_token(served.url, "tess@linde.test")
    async with httpx.AsyncClient(base_url=served.url, headers=trainer) as client:
        items = (await client.get("/api/v1/review/items")).json()["items"]
    suggested = {item["ticket_id"]: item["suggested_intent"] for item in items}
    assert suggested == {first: "return_policy", second: None}


async def test_agent_reveals_a_masked_message_and_the_admin_sees_the_reveal(
    served: Served, browser: Browser
) -> None:
    await make_staff(served.runtime, email="sanne@linde.test", name="Sanne")
    await make_staff(served.runtime, email="boss@linde.test", name="Bea", role="admin")
    secret = "Mijn bestelling 100234 is kwijt, mail me op anna@example.nl of bel 06-12345678"
    ticket_id = await _escalate(served.url, escalation("conv-privacy", text=secret))
    page = await browser.new_page(locale="nl-NL")
    await _login(page, served.url, "sanne@linde.test")

    masked = "Mijn bestelling [order] is kwijt, mail me op [email] of bel [phone]"
    item = page.locator(f"[data-ticket-id='{ticket_id}']")
    await expect(item.locator(".preview")).to_have_text(masked)
    await item.click()
    ticket = page.locator("#ticket")
    customer = ticket.locator("#messages .msg.customer")
    await expect(customer.locator(".text")).to_have_text(masked)
    await expect(ticket.locator(".transcript li").last).to_contain_text(masked)
    assert "anna@example.nl" not in await page.content()

    # Not claimed yet: the server says why, in the page.
    await customer.locator("button.reveal").click()
    await expect(page.locator(".toast.bad").last).to_contain_text("claim")
    await ticket.locator("#claim").click()
    await expect(ticket.locator(".muted.small").first).to_contain_text("Sanne")
    await ticket.locator("#messages .msg.customer button.reveal").click()
    await expect(ticket.locator("#messages .msg.customer .text")).to_have_text(secret)
    await expect(ticket.locator("#messages .msg.customer .revealed")).to_be_visible()
    # Agents have no audit log link.
    await expect(page.locator("#reveal-log-link")).to_be_hidden()

    admin = await browser.new_page(locale="nl-NL")
    await _login(admin, served.url, "boss@linde.test")
    await admin.locator("#reveal-log-link").click()
    rows = admin.locator("#reveal-log tbody tr")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text("Sanne")
    await expect(rows.first).to_contain_text(f"#{ticket_id}")
    assert "anna@example.nl" not in await admin.content()


async def _report_conversation(
    url: str, conversation_id: str, language: str, channel: str, intent: str
) -> None:
    now = datetime.now(UTC)
    body = {
        "channel": channel, "conversation_id": conversation_id, "language": language,
        "intent": intent, "turns": 3, "started_at": (now - timedelta(minutes=5)).isoformat(),
        "last_message_at": now.isoformat(),
    }
    async with httpx.AsyncClient(base_url=url) as client:
        response = await client.post(
            "/api/v1/conversations/reports", json=body,
            headers={"Authorization": f"Bearer {SERVICE_TOKEN}"},
        )
        assert response.status_code == 200, response.text


async def test_the_report_page_shows_containment(served: Served, browser: Browser) -> None:
    await make_staff(served.runtime, email="lead@linde.test", name="Lead", role="admin")
    await make_staff(served.runtime, email="tess@linde.test", name="Tess", role="trainer")
    odd_channel = '<img src=x onerror="window.__xss=1">'
    await _report_conversation(served.url, "rep-1", "nl", "rest", "product_price")
    await _report_conversation(served.url, "rep-2", "nl", "rest", "faq/shipping_costs")
    await _report_conversation(served.url, "rep-3", "en", odd_channel, "order_status")
    # One of the three reached a colleague.
    await _escalate(served.url, escalation("rep-2", channel="rest"))

    # The page's dates are the browser's calendar days; staff work in the business timezone.
    page = await browser.new_page(locale="nl-NL", timezone_id="Europe/Amsterdam")
    await page.goto(f"{served.url}/staff/")
    await page.fill("input[name=email]", "lead@linde.test")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("#login-form button[type=submit]")
    await expect(page.locator("#report-link")).to_be_visible()
    await page.click("#report-link")
    await expect(page.locator("#report-view")).to_be_visible()

    await expect(page.locator("#containment-share")).to_have_text("66.7%")
    await expect(page.locator("#containment-counts")).to_have_text("2 van 3 gesprekken")
    nl_row = page.locator("#by-language tr[data-key='nl']")
    await expect(nl_row.locator(".share")).to_have_text("50.0%")
    await expect(page.locator("#by-intent tr[data-key='faq/shipping_costs'] .share")).to_have_text(
        "0.0%"
    )
    # A channel name is shown literally and never runs.
    await expect(page.locator("#by-channel tbody tr").nth(0).locator("td").first).to_have_text(
        odd_channel
    )
    assert await page.evaluate("window.__xss") is None
    assert await page.locator("#report-view img").count() == 0
    today = page.locator("#over-time tbody tr").last
    await expect(today.locator("td").nth(1)).to_have_text("3")
    await expect(page.locator("#ticket-count")).to_have_text("1")

    await page.click("#lang-toggle")
    await expect(page.locator("h2").first).to_have_text("Resolved without a human")
    await expect(page.locator("#containment-counts")).to_have_text("2 of 3 conversations")
    strings = await page.evaluate(
        """() => {
          const nl = Object.keys(STRINGS.nl), en = Object.keys(STRINGS.en);
          const used = [...document.querySelectorAll('[data-i18n]')].map(n => n.dataset.i18n);
          return {
            onlyNl: nl.filter(k => !en.includes(k)), onlyEn: en.filter(k => !nl.includes(k)),
            unknown: used.filter(k => !nl.includes(k)),
          };
        }"""
    )
    assert strings == {"onlyNl": [], "onlyEn": [], "unknown": []}

    # A trainer works on the model, not on response times: no report for them.
    await page.click("#logout")
    await page.fill("input[name=email]", "tess@linde.test")
    await page.fill("input[name=password]", PASSWORD)
    await page.click("#login-form button[type=submit]")
    await expect(page.locator("#login-error")).to_have_text("The report is for agents and admins.")
    await expect(page.locator("#report-view")).to_be_hidden()
