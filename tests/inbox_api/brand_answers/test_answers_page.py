"""The answers page in Debian's chromium: a trainer edits an answer, the assistant gives it.

Real inbox server, real SQLite database holding both the inbox's and the catalogue's tables
(migrated and seeded as `make run` does), and the real `action_answer_faq` reading it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from actions.faq import ActionAnswerFaq
from inbox_api.app import create_app
from inbox_api.migrate import upgrade_head
from tests.actions.catalogue_helpers import run
from tests.actions.trackers import make_tracker, parse_data
from tests.catalogue.factories import make_catalogue, migrate, seed_at
from tests.inbox_api.conftest import RasaPeer, make_settings
from tests.inbox_api.nlu_review.test_trainer_page import serve
from tests.inbox_api.staff.factories import PASSWORD, make_staff

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
XSS = '<img src=x onerror="window.__xss=1">'
NEW_NL = "Cadeaubonnen zijn er nu van €5 tot €500."
NEW_EN = "Gift cards now come in any amount from €5 to €500."

if not Path(CHROMIUM).exists():
    pytest.skip("Debian's chromium is not installed", allow_module_level=True)

from playwright.async_api import async_playwright, expect  # noqa: E402


async def assistant_says(url: str, language: str, text: str) -> str:
    """What action_answer_faq answers to a gift card question, read from the database now."""
    catalogue = make_catalogue(url)
    try:
        latest = parse_data(text, "faq", response_selector={
            "faq": {"response": {"intent_response_key": "faq/gift_cards", "confidence": 0.9}}})
        tracker = make_tracker(slots={"language": language}, latest=latest)
        messages, _ = await run(ActionAnswerFaq(catalogue), tracker)
        return str(messages[0]["text"])
    finally:
        await catalogue.dispose()


async def test_a_trainer_edits_an_answer_and_the_assistant_gives_it_at_once(
    sqlite_url: str, rasa_peer: RasaPeer
) -> None:
    await asyncio.to_thread(upgrade_head, sqlite_url)
    await migrate(sqlite_url)
    await seed_at(sqlite_url)
    assert (await assistant_says(sqlite_url, "en", "gift card?")).startswith(
        "Our gift cards are for any amount from €10 to €250")
    app = create_app(make_settings(sqlite_url, rasa_peer.url))
    async with serve(app) as url, async_playwright() as pw:
        await make_staff(app.state.runtime, email="trainer@linde.test", role="trainer")
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        try:
            page = await browser.new_page(locale="nl-NL")
            await page.goto(f"{url}/staff/answers/")
            await page.fill("input[name=email]", "trainer@linde.test")
            await page.fill("input[name=password]", PASSWORD)
            await page.click("#login-form button[type=submit]")
            await expect(page.locator("#topics button")).to_have_count(18)
            # The page opens the first topic by itself; pick another once that has loaded.
            await expect(page.locator("#editor-title")).to_contain_text("faq/")
            await page.click("#topics button[data-topic=gift_cards]")
            await expect(page.locator("#editor-title")).to_contain_text("faq/gift_cards")
            await expect(page.locator("#editor-version")).to_have_text("1")

            # Both languages are required: an empty Dutch text is refused on the page.
            await page.fill("textarea[name=body_nl]", "   ")
            await page.fill("textarea[name=body_en]", NEW_EN)
            await page.click("#save")
            await expect(page.locator("#form-error")).to_have_text(
                "Vul het antwoord in beide talen in.")

            # The preview shows the text as the customer reads it, as text, never as markup.
            await page.fill("textarea[name=body_nl]", NEW_NL + " " + XSS)
            await expect(page.locator("#preview-nl")).to_have_text(NEW_NL + " " + XSS)
            await page.fill("textarea[name=body_nl]", NEW_NL)
            await page.fill("input[name=note]", "actie december")
            await page.click("#save")
            await expect(page.locator("#editor-version")).to_have_text("2")
            newest = page.locator("#history li.version").first
            await expect(newest).to_contain_text("Versie 2")
            await expect(newest.locator(".who")).to_have_text("trainer@linde.test")
            await expect(newest.locator(".note")).to_have_text("actie december")
            await expect(page.locator("#history li.version")).to_have_count(2)
            assert await page.evaluate("window.__xss") is None

            # Opening hours say that the data comes first.
            await page.click("#topics button[data-topic=store_hours]")
            await expect(page.locator("#after-data")).to_be_visible()
        finally:
            await browser.close()

    # The assistant gives the new text from the next question on, in each language.
    assert await assistant_says(sqlite_url, "en", "do you sell gift cards?") == NEW_EN
    assert await assistant_says(sqlite_url, "nl", "verkopen jullie cadeaubonnen?") == NEW_NL
