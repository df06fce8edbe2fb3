"""The demo brand page's chat widget talks to the real Rasa server over socket.io."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM, RunningStack

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

if not Path(CHROMIUM).exists():
    pytest.fail("Debian's chromium is missing: run 'make setup-test'.", pytrace=False)

from playwright.async_api import Browser, expect  # noqa: E402


async def test_customer_asks_a_price_in_the_demo_chat_widget(
    stack: RunningStack, browser: Browser
) -> None:
    page = await browser.new_page()
    await page.goto(f"{stack.inbox_url}/demo/")
    await expect(page.locator("#chat-state")).to_have_class("live on", timeout=20_000)
    await page.fill("#chat-input", "wat kost de Lina wikkeljurk?")
    await page.press("#chat-input", "Enter")
    await expect(page.locator("#chat-log li.bot").last).to_contain_text("€ 79,95", timeout=30_000)


async def test_the_mock_brand_page_answers_comments_and_messenger_through_the_connectors(
    stack: RunningStack, browser: Browser
) -> None:
    page = await browser.new_page()
    await page.goto(f"{stack.inbox_url}/demo/")
    # The fake Graph API plays Facebook: the post comes from it, the answers go through it.
    await expect(page.locator("#brand-page")).to_be_visible(timeout=20_000)
    await expect(page.locator("#post-text")).to_contain_text("wintercollectie")
    name = f"Anna {uuid.uuid4().hex[:5]}"
    await page.fill("#comment-name", name)
    await page.fill("#comment-input", "Wat kost de Lina wikkeljurk?")
    await page.click("#comment-form button[type=submit]")
    comment = page.locator("#comments li.comment").filter(has_text=name)
    await expect(comment.locator(".private-reply")).to_contain_text("€ 79,95", timeout=60_000)
    await expect(comment.locator(".public-reply")).to_contain_text(
        "We hebben je een persoonlijk bericht gestuurd", timeout=30_000)

    await page.fill("#messenger-input", "wat kost de Lina wikkeljurk?")
    await page.click("#messenger-form button[type=submit]")
    await expect(page.locator("#messenger-log li.user").last).to_have_text(
        "wat kost de Lina wikkeljurk?", timeout=10_000)
    await expect(page.locator("#messenger-log li.bot").last).to_contain_text(
        "€ 79,95", timeout=60_000)
    # A customer text is shown as text, never as markup.
    await page.fill("#comment-input", "<img src=x onerror=alert(1)> mooi!")
    await page.click("#comment-form button[type=submit]")
    await expect(page.locator("#comments li.comment .text").filter(
        has_text="<img src=x onerror=alert(1)> mooi!")).to_have_count(1, timeout=10_000)
    assert await page.locator("#comments img").count() == 0
