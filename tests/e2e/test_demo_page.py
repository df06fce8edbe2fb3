"""The demo brand page's chat widget talks to the real Rasa server over socket.io."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningStack

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.e2e, pytest.mark.browser]

if not Path(CHROMIUM).exists():
    pytest.fail("Debian's chromium is missing: run 'make setup-test'.", pytrace=False)

from playwright.async_api import Browser, async_playwright, expect  # noqa: E402


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def test_customer_asks_a_price_in_the_demo_chat_widget(
    stack: RunningStack, browser: Browser
) -> None:
    page = await browser.new_page()
    await page.goto(f"{stack.inbox_url}/demo/")
    await expect(page.locator("#chat-state")).to_have_class("live on", timeout=20_000)
    await page.fill("#chat-input", "wat kost de Lina wikkeljurk?")
    await page.press("#chat-input", "Enter")
    await expect(page.locator("#chat-log li.bot").last).to_contain_text("€ 79,95", timeout=30_000)
