"""The trainer page in Debian's chromium against a real server (marker `browser`)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from inbox_api.app import create_app
from inbox_api.migrate import upgrade_head
from tests.inbox_api.conftest import SERVICE_TOKEN, RasaPeer, make_settings
from tests.inbox_api.nlu_review.factories import escalate
from tests.inbox_api.staff.factories import PASSWORD, make_staff
from tests.training.factories import make_project
from tests.training.workers import running_worker
from training.settings import TrainingSettings

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> bestelling?'

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

from playwright.async_api import async_playwright, expect  # noqa: E402


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    """The app under uvicorn on a free port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(20):
            while not server.started:  # noqa: ASYNC110 - uvicorn only exposes a flag
                await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await task
        sock.close()


async def test_trainer_labels_in_the_browser(
    tmp_path: Path, sqlite_url: str, rasa_peer: RasaPeer
) -> None:
    project = make_project(tmp_path / "project")
    await asyncio.to_thread(upgrade_head, sqlite_url)
    app = create_app(make_settings(sqlite_url, rasa_peer.url))
    training = TrainingSettings(
        root_dir=project.root, models_dir=project.models, database_url=sqlite_url
    )
    service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    async with serve(app) as url, running_worker(training), async_playwright() as pw:
        await make_staff(app.state.runtime, email="trainer@linde.test", role="trainer")
        async with httpx.AsyncClient(base_url=url) as client:
            await escalate(client, service, "x1", XSS)
            await escalate(client, service, "x2", "Mag ik mijn jas ruilen voor een andere maat?")
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = await browser.new_page(locale="nl-NL")
            await page.goto(f"{url}/staff/training/")
            await page.fill("input[name=email]", "trainer@linde.test")
            await page.fill("input[name=password]", PASSWORD)
            await page.click("#login-form button[type=submit]")
            items = page.locator(".review-item")
            await expect(items).to_have_count(2)
            # Customer text is shown as text, never run.
            await expect(items.nth(0).locator(".original")).to_have_text(XSS)
            assert await page.evaluate("window.__xss") is None

            second = items.nth(1)
            await second.locator("select.intent").select_option("human_handoff")
            await second.locator("input.text").fill("Hoeveel kost de Noor blazer?")
            await second.locator("button.label").click()
            refusal = second.locator(".refusals li")
            await expect(refusal).to_have_attribute("data-code", "conflict")
            await expect(refusal).to_contain_text("Bijna dezelfde tekst")
            await page.click("#lang-toggle")
            await expect(
                page.locator(".review-item").nth(1).locator(".refusals li")
            ).to_contain_text("Near-identical text")
            await page.click("#lang-toggle")

            second = page.locator(".review-item").nth(1)
            # The trainer's edit survives the refusal.
            await expect(second.locator("input.text")).to_have_value("Hoeveel kost de Noor blazer?")
            await second.locator("select.intent").select_option("order_status")
            await second.locator("input.text").fill("waar blijft bestelling 100777 nou")
            await second.locator("input.text").evaluate("node => node.setSelectionRange(23, 29)")
            await second.locator("select.entity").select_option("order_number")
            await second.locator("button.mark").click()
            await expect(second.locator("input.text")).to_have_value(
                "waar blijft bestelling [100777](order_number) nou"
            )
            await second.locator("button.label").click()
            await expect(page.locator(".review-item")).to_have_count(1)
            written = (project.nlu / "nl" / "shopping.yml").read_text(encoding="utf-8")
            assert "      - waar blijft bestelling [100777](order_number) nou\n" in written
            parity_row = page.locator("#parity tr", has_text="order_status")
            await expect(parity_row.locator("td").nth(1)).to_have_text("3")

            await page.locator(".review-item .pick").check()
            await page.click("#bulk-dismiss")
            await expect(page.locator(".review-item")).to_have_count(0)
        finally:
            await browser.close()
