"""The staff page with Meta's channels, in Debian's chromium against the real stack: the queue
row (name, channel, window, 2-hour warning), the reply box past the window (HUMAN_AGENT,
WhatsApp's template) and what reaches the fake Graph API."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from demo import meta_webhooks as hooks
from kit.clock import utc_now
from tests.e2e.conftest import RunningStack
from tests.e2e.test_meta_channels import deliver, sent_to, wait_for
from tests.e2e.test_meta_inbox import Agent, age_channel_store, set_ticket
from tests.e2e.test_support_loop import staff_token

# Debian's chromium (the `browser` fixture in conftest.py; test_demo_page.py stops the run
# with the fix when it is missing).
pytestmark = [pytest.mark.e2e, pytest.mark.browser]


async def signed_in(browser: Browser, stack: RunningStack, language: str) -> Page:
    context = await browser.new_context(locale="en-GB" if language == "en" else "nl-NL")
    page = await context.new_page()
    await page.add_init_script(f"localStorage.setItem('inbox_lang', '{language}')")
    await page.goto(f"{stack.inbox_url}/staff/")
    await page.fill("input[name=email]", stack.staff_email)
    await page.fill("input[name=password]", stack.staff_password)
    await page.click("#login-form button[type=submit]")
    await expect(page.locator("#inbox-view")).to_be_visible(timeout=20_000)
    return page


async def test_past_the_window_the_reply_box_offers_what_meta_still_allows(
    stack: RunningStack, browser: Browser
) -> None:
    number = f"316{uuid.uuid4().int % 10**8:08d}"
    psid = f"PSID{uuid.uuid4().hex[:10]}"
    for text in ("hoi", "ik wil graag met een medewerker praten"):
        await deliver(stack, "whatsapp", hooks.whatsapp(stack.meta.phone_number_id, number,
                                                        hooks.whatsapp_text(text), name="Joost"))
        await deliver(stack, "messenger", hooks.messaging("page", stack.meta.page_id, psid,
                                                          hooks.text_message(text)))
    async with httpx.AsyncClient(timeout=30) as client:
        agent = Agent(stack, client, await staff_token(client, stack))
        whatsapp = await agent.ticket_of(f"whatsapp-{number}")
        messenger = await agent.ticket_of(f"messenger-{psid}")
    await set_ticket(stack, whatsapp["id"], reply_window_closes_at=utc_now() - timedelta(hours=2))
    age_channel_store(stack, "whatsapp", number, 26)
    await set_ticket(stack, messenger["id"], reply_window_closes_at=utc_now() - timedelta(days=1))
    age_channel_store(stack, "messenger", psid, 48)

    page = await signed_in(browser, stack, "nl")
    row = page.locator(f"#queue li[data-ticket-id='{whatsapp['id']}']")
    await expect(row.locator(".customer-name")).to_have_text("Joost")
    await expect(row.locator(".badge.channel")).to_have_text("WhatsApp")
    await expect(row.locator(".window-left")).to_have_text("venster dicht")

    # WhatsApp past 24 hours: no text box, the reason in Dutch, the approved template.
    await page.goto(f"{stack.inbox_url}/staff/#ticket-{whatsapp['id']}")
    notice = page.locator("#window-notice")
    await expect(notice).to_contain_text("het WhatsApp-venster van 24 uur sloot om")
    await expect(page.locator("#reply-form textarea")).to_have_count(0)
    await expect(page.locator(".template-preview")).to_contain_text(
        "We have an answer for you — reply to continue")
    await page.click("#send-template")
    sent = page.locator("#messages li.agent").last
    await expect(sent.locator(".badge.sent-as")).to_have_text("sjabloon")
    await expect(sent.locator(".delivery")).to_have_text("afgeleverd", timeout=45_000)
    template = [b for b in await sent_to(stack, number) if b.get("type") == "template"]
    assert template and template[0]["template"]["name"] == "answer_ready"

    # Messenger after a day: the reply goes as a colleague's, with the HUMAN_AGENT tag.
    await page.click("#lang-toggle")  # the agent reads English now
    await page.goto(f"{stack.inbox_url}/staff/#ticket-{messenger['id']}")
    await expect(page.locator("#window-notice")).to_contain_text(
        "Meta's 24-hour window closed at")
    text = f"Sorry for the wait ({uuid.uuid4().hex[:6]})"
    await page.locator("#reply-form textarea").fill(text)
    await expect(page.locator("#reply-form button[type=submit]")).to_have_text(
        "Send as colleague (HUMAN_AGENT)")
    await page.click("#reply-form button[type=submit]")
    mine = page.locator("#messages li.agent").filter(has_text=text)
    await expect(mine.locator(".badge.sent-as")).to_have_text("HUMAN_AGENT")
    [tagged] = [m for m in await wait_for(stack, psid, lambda ms: any(
        m.get("message", {}).get("text") == text for m in ms))
        if m.get("message", {}).get("text") == text]
    assert (tagged["messaging_type"], tagged["tag"]) == ("MESSAGE_TAG", "HUMAN_AGENT")


async def test_two_hours_before_the_window_closes_agents_are_warned(
    stack: RunningStack, browser: Browser
) -> None:
    igsid = f"IGSID{uuid.uuid4().hex[:10]}"
    for text in ("hoi", "ik wil graag met een medewerker praten"):
        await deliver(stack, "instagram", hooks.messaging("instagram", stack.meta.instagram_id,
                                                          igsid, hooks.text_message(text)))
    async with httpx.AsyncClient(timeout=30) as client:
        agent = Agent(stack, client, await staff_token(client, stack))
        ticket = await agent.ticket_of(f"instagram-{igsid}")
    page = await signed_in(browser, stack, "en")
    # 22 hours and 10 minutes later: the window closes before any SLA deadline, and the
    # SLA timers (reconcile every 5 s in this stack) fire the warning.
    await set_ticket(stack, ticket["id"], reply_window_closes_at=utc_now() + timedelta(
        hours=1, minutes=50), sla_next_check_at=utc_now())
    await expect(page.locator(".toast.warn").filter(has_text=f"#{ticket['id']}")).to_contain_text(
        "Reply window closes within 2 hours", timeout=30_000)
    first = page.locator("#queue li").first
    await expect(first).to_have_attribute("data-ticket-id", str(ticket["id"]))
    await expect(first.locator(".window-left")).to_have_class("window-left small warn")
