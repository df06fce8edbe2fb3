"""Working a ticket fast, in Debian's chromium: saved replies, live product facts, the keyboard.

Each test counts the keys and clicks an agent spends on a typical price question, from opening
the ticket to sending the reply, and prints them (`pytest -s`); the report in issue 15 quotes
these numbers. Before this change the same answer took: open the ticket (a click), click the
reply box, type the whole answer (looking the price up elsewhere), click send.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Locator, Page, expect

from inbox_api.app import create_app
from tests.inbox_api.answers.shop import put_on_sale, shop_sqlite_url, verified
from tests.inbox_api.conftest import SERVICE_TOKEN, RasaPeer, make_settings
from tests.inbox_api.server import running_server
from tests.inbox_api.staff.factories import PASSWORD, make_staff
from tests.inbox_api.tickets.factories import escalation
from tests.inbox_api.web.test_browser import Served, _login, browser

__all__ = ["browser"]
pytestmark = pytest.mark.browser

PRICE_REPLY = {
    "shortcut": "prijs",
    "title": "Prijs van een artikel",
    "body_nl": "Hoi {{customer.name}}! Dat artikel kost {{product.price}}. [[maat]]",
    "body_en": "Hi {{customer.name}}! That item costs {{product.price}}. [[size]]",
}


@dataclass
class Effort:
    """Keys and clicks an agent spends, counted as the test spends them."""

    page: Page
    keys: int = 0
    clicks: int = 0
    log: list[str] = field(default_factory=list)

    async def press(self, key: str) -> None:
        self.keys += 1
        await self.page.keyboard.press(key)

    async def type(self, words: str) -> None:
        self.keys += len(words)
        await self.page.keyboard.type(words)

    async def click(self, target: Locator) -> None:
        self.clicks += 1
        await target.click()

    def report(self, what: str) -> str:
        line = f"{what}: {self.clicks} clicks + {self.keys} keystrokes"
        print(f"\n[effort] {line}")
        return line


def typed_by_hand(answer: str) -> str:
    """The same answer before: open ticket, click the reply box, type it all, click send."""
    line = f"by hand: 3 clicks + {len(answer)} keystrokes (and the price looked up elsewhere)"
    print(f"\n[effort] {line}")
    return line


@pytest.fixture
async def shop_served(tmp_path: Path, rasa_peer: RasaPeer) -> AsyncIterator[tuple[Served, str]]:
    """The inbox under uvicorn on a database holding the seeded catalogue."""
    url = await asyncio.to_thread(shop_sqlite_url, tmp_path)
    app = create_app(make_settings(url, rasa_peer.url))
    async with running_server(app) as base:
        yield Served(base, app.state.runtime), url


async def _api(
    base: str, method: str, path: str, body: Any = None, token: str = SERVICE_TOKEN
) -> Any:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.request(
            method, path, json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code < 300, response.text
        return response.json() if response.content else None


async def _admin_token(base: str, served: Served) -> str:
    await make_staff(served.runtime, email="admin@linde.test", role="admin", name="Admin")
    body = await _api(
        base, "POST", "/api/v1/auth/login", {"email": "admin@linde.test", "password": PASSWORD}
    )
    token: str = body["access_token"]
    return token


def price_question(conversation: str, language: str = "nl") -> dict[str, Any]:
    body = escalation(conversation, language=language, text="Wat kost de Lina wikkeljurk?")
    body["intents"] = [{"name": "product_price", "confidence": 0.41}]
    body["entities"] = [
        {"entity": "product", "value": "Lina wikkeljurk"},
        {"entity": "customer_name", "value": "Anna"},
    ]
    return body


async def test_a_dutch_saved_reply_with_its_values_filled_by_keyboard(
    shop_served: tuple[Served, str], browser: Browser, rasa_peer: RasaPeer
) -> None:
    served, _ = shop_served
    admin = await _admin_token(served.url, served)
    await _api(served.url, "POST", "/api/v1/saved-replies", PRICE_REPLY, admin)
    await _api(
        served.url, "POST", "/api/v1/saved-replies",
        {"shortcut": "prijs-en", "title": "English only", "body_en": "Costs {{product.price}}."},
        admin,
    )
    await make_staff(served.runtime, email="sanne@linde.test", name="Sanne")
    ticket = (await _api(served.url, "POST", "/api/v1/escalations", price_question("c-kb")))[
        "ticket_id"
    ]
    page = await browser.new_page(locale="nl-NL")
    await _login(page, served.url, "sanne@linde.test")
    await expect(page.locator(f"[data-ticket-id='{ticket}']")).to_be_visible()

    effort = Effort(page)
    await effort.press("j")
    await expect(page.locator("#ticket h2")).to_have_text(f"Ticket #{ticket}")
    await effort.press("r")
    await effort.type("/prijs")
    picker = page.locator("#picker")
    await expect(picker.locator("li")).to_have_count(2)
    # The English-only reply is flagged and cannot be picked for a Dutch ticket.
    english_only = picker.locator("li[data-key='prijs-en']")
    await expect(english_only).to_have_class("disabled")
    await expect(english_only.locator(".flag")).to_have_text("geen NL")
    await effort.press("Enter")
    area = page.locator("#reply-form textarea")
    await expect(area).to_have_value("Hoi Anna! Dat artikel kost € 79,95. [[maat]]")
    # The placeholder is selected: sending now is refused with its name, nothing leaves.
    await page.keyboard.press("Control+Enter")
    await expect(page.locator(".toast.bad").last).to_have_text("Vul eerst in: [[maat]]")
    assert rasa_peer.calls == []
    await effort.type("Hij is er nog in M.")
    await expect(area).to_have_value("Hoi Anna! Dat artikel kost € 79,95. Hij is er nog in M.")
    await effort.press("Control+Enter")
    await rasa_peer.wait_for(1)
    assert rasa_peer.texts("c-kb") == ["Hoi Anna! Dat artikel kost € 79,95. Hij is er nog in M."]
    await expect(page.locator("#messages .msg.agent .text")).to_have_text(
        "Hoi Anna! Dat artikel kost € 79,95. Hij is er nog in M."
    )
    effort.report("saved reply /prijs, keyboard only")
    typed_by_hand("Hoi Anna! De Lina wikkeljurk kost € 79,95. Hij is er nog in M.")
    assert (effort.clicks, effort.keys) == (0, 29)


async def test_live_product_facts_go_into_the_reply_in_one_click(
    shop_served: tuple[Served, str], browser: Browser, rasa_peer: RasaPeer
) -> None:
    served, database = shop_served
    await make_staff(served.runtime, email="sanne@linde.test", name="Sanne")
    ticket = (
        await _api(served.url, "POST", "/api/v1/escalations", price_question("c-facts", "en"))
    )["ticket_id"]
    body = price_question("c-order")
    body["entities"].append({"entity": "order_number", "value": "100234"})
    order_ticket = (await _api(served.url, "POST", "/api/v1/escalations", body))["ticket_id"]
    page = await browser.new_page(locale="en-GB")
    await _login(page, served.url, "sanne@linde.test")

    effort = Effort(page)
    await effort.click(page.locator(f"[data-ticket-id='{ticket}']"))
    answers = page.locator("#answers")
    await expect(answers.locator("#understood")).to_contain_text("product_price (41%)")
    await expect(answers.locator("#understood")).to_contain_text("product: Lina wikkeljurk")
    fact = answers.locator(".fact").first
    await expect(fact.locator("strong")).to_have_text("Lina wrap dress · €79.95")
    await expect(fact.locator(".variants tbody tr")).not_to_have_count(0)
    # The price changes in the catalogue; the next look at the ticket shows it, live.
    await put_on_sale(database, "LC-DR-LINA", "59.95")
    await _api(
        served.url, "POST", "/api/v1/escalations",
        {**price_question("c-facts", "en"), "reason": "customer_message", "customer_message": "?"},
    )
    await expect(fact.locator("strong")).to_have_text("Lina wrap dress · Sale €59.95 (€79.95)")
    await effort.click(fact.locator(".insert-fact"))
    area = page.locator("#reply-form textarea")
    await expect(area).to_have_value(
        re.compile(r"^The Lina wrap dress is on sale now: €59\.95 instead of €79\.95\. In stock: ")
    )
    await effort.click(page.locator("#reply-form button[type=submit]"))
    await rasa_peer.wait_for(1)
    assert rasa_peer.texts("c-facts")[0].startswith("The Lina wrap dress is on sale now: €59.95")
    await expect(page.locator("#messages .msg.agent .delivery")).to_have_text("delivered")
    effort.report("product facts, mouse only")
    assert (effort.clicks, effort.keys) == (3, 0)

    # The order appears once the customer verified it in the conversation, in Dutch.
    await page.locator(f"[data-ticket-id='{order_ticket}']").click()
    await expect(page.locator("#answers")).to_contain_text(
        "The order shows once the customer verified it in the conversation"
    )
    await verified(database, "socketio:c-order", "100234")
    await page.keyboard.press("k")
    await page.keyboard.press("j")
    order_fact = page.locator("#answers .fact").nth(1)
    await expect(order_fact.locator("strong")).to_contain_text("Order 100234 · delivered")
    await expect(order_fact.locator(".fact-text")).to_contain_text("Je bestelling 100234 is op ")
    await page.locator("#reply-form textarea").focus()
    await page.keyboard.press("Escape")
    await page.keyboard.press("2")
    await expect(page.locator("#reply-form textarea")).to_have_value(
        re.compile(
            r"^Je bestelling 100234 is op .* Je kunt de bestelling nog terugsturen tot en met "
        )
    )


async def test_keyboard_flow_mentions_and_snooze(
    shop_served: tuple[Served, str], browser: Browser, rasa_peer: RasaPeer
) -> None:
    served, _ = shop_served
    await make_staff(served.runtime, email="sanne@linde.test", name="Sanne de Vries")
    await make_staff(served.runtime, email="daan@linde.test", name="Daan Bakker")
    first = (await _api(served.url, "POST", "/api/v1/escalations", price_question("c-1")))[
        "ticket_id"
    ]
    second = (await _api(served.url, "POST", "/api/v1/escalations", price_question("c-2")))[
        "ticket_id"
    ]
    daan = await browser.new_page(locale="nl-NL")
    await _login(daan, served.url, "daan@linde.test")
    await expect(daan.locator("#bell .count")).to_have_text("0")
    page = await browser.new_page(locale="nl-NL")
    await _login(page, served.url, "sanne@linde.test")
    await expect(page.locator(".queue-item")).to_have_count(2)

    await page.keyboard.press("?")
    help_box = page.locator("#shortcut-help")
    await expect(help_box).to_be_visible()
    for key in ("j", "r", "n", "c", "w", "e", "s", "/", "?"):
        exactly = re.compile(f"^{re.escape(key)}$")
        await expect(help_box.locator("kbd", has_text=exactly)).to_have_count(1)
    await page.keyboard.press("Escape")
    await expect(help_box).to_be_hidden()

    await page.keyboard.press("j")
    ids = [int(i) for i in await page.locator(".queue-item").evaluate_all(
        "items => items.map(i => i.dataset.ticketId)"
    )]
    assert sorted(ids) == sorted([first, second])
    await expect(page.locator("#ticket h2")).to_have_text(f"Ticket #{ids[0]}")
    await page.keyboard.press("j")
    await expect(page.locator("#ticket h2")).to_have_text(f"Ticket #{ids[1]}")
    await page.keyboard.press("k")
    await expect(page.locator("#ticket h2")).to_have_text(f"Ticket #{ids[0]}")
    current = ids[0]

    await page.keyboard.press("c")
    await expect(page.locator("#ticket .muted.small").first).to_contain_text("Sanne de Vries")
    # A note naming @daan (picked from the list) notifies him, live, in his own page.
    await page.keyboard.press("n")
    await page.keyboard.type("Kun jij even kijken @da")
    await expect(page.locator("#picker li")).to_have_count(1)
    await page.keyboard.press("Enter")
    await expect(page.locator("#note-form textarea")).to_have_value("Kun jij even kijken @daan ")
    await page.keyboard.press("Control+Enter")
    note = page.locator("#messages .msg.note .text")
    await expect(note).to_have_text("Kun jij even kijken @daan")
    await expect(daan.locator("#bell .count")).to_have_text("1")
    await daan.locator("#bell").click()
    await daan.locator("#notification-list li.unread").click()
    await expect(daan.locator("#ticket h2")).to_have_text(f"Ticket #{current}")
    await expect(daan.locator("#bell .count")).to_have_text("0")

    # Reply, then "until the customer answers": the ticket leaves the queue.
    await page.keyboard.press("Escape")
    await page.keyboard.press("r")
    await page.keyboard.type("Welke maat zoek je?")
    await page.keyboard.press("Control+Enter")
    await rasa_peer.wait_for(1)
    await page.keyboard.press("Escape")
    await page.keyboard.press("s")
    await expect(page.locator("#snooze-choice")).to_be_focused()
    await page.select_option("#snooze-choice", "reply")
    await expect(page.locator("#snoozed")).to_contain_text("Gesnoozed tot de klant antwoordt")
    await expect(page.locator(f"#queue [data-ticket-id='{current}']")).to_have_count(0)
    await page.select_option("#filters select[name=status]", "snoozed")
    await expect(page.locator(f"#queue [data-ticket-id='{current}']")).to_be_visible()
    await page.select_option("#filters select[name=status]", "")
    # The customer answers: back in the queue, live.
    await _api(
        served.url, "POST", "/api/v1/escalations",
        {**price_question("c-1" if current == first else "c-2"), "reason": "customer_message"},
    )
    await expect(page.locator(f"#queue [data-ticket-id='{current}']")).to_be_visible()
    await expect(page.locator("#snoozed")).to_have_count(0)

    await page.keyboard.press("w")
    await expect(page.locator("#ticket-status")).to_have_text("Wacht op klant")
    await page.keyboard.press("e")
    await expect(page.locator("#ticket-status")).to_have_text("Opgelost")


async def test_the_brand_answer_for_a_faq_question_in_one_click(
    shop_served: tuple[Served, str], browser: Browser, rasa_peer: RasaPeer
) -> None:
    served, _ = shop_served
    await make_staff(served.runtime, email="sanne@linde.test", name="Sanne")
    body = escalation("c-faq", language="nl", text="Wat kost verzenden naar België?")
    body["intents"] = [{"name": "faq/shipping_costs", "confidence": 0.38}]
    body["entities"] = []
    ticket = (await _api(served.url, "POST", "/api/v1/escalations", body))["ticket_id"]
    page = await browser.new_page(locale="nl-NL")
    await _login(page, served.url, "sanne@linde.test")

    effort = Effort(page)
    await effort.click(page.locator(f"[data-ticket-id='{ticket}']"))
    # The trainer's answer (faq_answers) for the predicted topic, in the ticket's language.
    brand = page.locator("#answers .fact[data-brand-topic='shipping_costs']")
    await expect(brand.locator("strong")).to_have_text("Antwoord van het merk · Verzendkosten")
    await effort.click(brand.locator(".insert-fact"))
    area = page.locator("#reply-form textarea")
    await expect(area).to_have_value(re.compile(r"^Verzenden binnen Nederland kost €4,95"))
    await effort.click(page.locator("#reply-form button[type=submit]"))
    await rasa_peer.wait_for(1)
    assert rasa_peer.texts("c-faq")[0].startswith("Verzenden binnen Nederland kost €4,95")
    effort.report("brand answer (shipping costs), mouse only")
    assert (effort.clicks, effort.keys) == (3, 0)
