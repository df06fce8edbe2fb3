"""Answers at hand: what the assistant understood, live catalogue facts in the ticket's language."""

from __future__ import annotations

from typing import Any

from tests.inbox_api.answers.shop import put_on_sale, verified
from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


def price_question(
    conversation: str, language: str, *entities: dict[str, Any]
) -> dict[str, Any]:
    """An escalated product question naming products and orders."""
    body = escalation(conversation, language=language, text="Wat kost de Lina wikkeljurk?")
    body["intents"] = [{"name": "product_price", "confidence": 0.38}]
    body["entities"] = list(entities)
    return body


async def _ticket(shop: Inbox, service_headers: dict[str, str], body: dict[str, Any]) -> int:
    response = await shop.client.post("/api/v1/escalations", json=body, headers=service_headers)
    assert response.status_code == 201, response.text
    ticket_id: int = response.json()["ticket_id"]
    return ticket_id


async def test_dutch_ticket_gets_live_product_facts_written_the_dutch_way(
    shop: Inbox, service_headers: dict[str, str], shop_url: str
) -> None:
    headers = await agent_headers(shop.runtime, shop.client)
    ticket = await _ticket(
        shop, service_headers,
        price_question("c-nl", "nl", {"entity": "product", "value": "Lina wikkeljurk"}),
    )
    body = (await shop.client.get(f"/api/v1/tickets/{ticket}/answers", headers=headers)).json()
    assert body["intents"] == [{"name": "product_price", "confidence": 0.38}]
    assert body["predicted_topic"] == "product_price"
    [lina] = body["products"]
    assert lina["name"] == "Lina wikkeljurk" and lina["price_text"] == "€ 79,95"
    sizes = {(v["size"], v["color"]): v for v in lina["variants"]}
    assert sizes[("M", "navy")]["stock"] == 4
    sold_out = sizes[("M", "terracotta")]
    assert sold_out["stock"] == 0 and sold_out["restock_date"]
    assert lina["insert"].startswith("De Lina wikkeljurk kost € 79,95.")
    assert "M navy (4)" in lina["insert"]
    assert f"M terracotta is weer op voorraad vanaf {sold_out['restock_text']}." in lina["insert"]
    # The facts are live: a change in the catalogue shows at once.
    await put_on_sale(shop_url, "LC-DR-LINA", "59.95")
    again = (await shop.client.get(f"/api/v1/tickets/{ticket}/answers", headers=headers)).json()
    assert again["products"][0]["insert"].startswith(
        "De Lina wikkeljurk is nu in de sale: € 59,95 in plaats van € 79,95."
    )


async def test_english_ticket_gets_english_prices_and_names(
    shop: Inbox, service_headers: dict[str, str]
) -> None:
    headers = await agent_headers(shop.runtime, shop.client)
    ticket = await _ticket(
        shop, service_headers,
        price_question("c-en", "en", {"entity": "product", "value": "lina wrap dress"},
                       {"entity": "product", "value": "unicorn onesie"}),
    )
    body = (await shop.client.get(f"/api/v1/tickets/{ticket}/answers", headers=headers)).json()
    [lina] = body["products"]
    assert lina["name"] == "Lina wrap dress" and lina["price_text"] == "€79.95"
    assert lina["insert"].startswith("The Lina wrap dress costs €79.95. In stock: ")
    assert body["unknown_products"] == ["unicorn onesie"]


async def test_order_facts_only_after_the_customer_proved_the_order_is_theirs(
    shop: Inbox, service_headers: dict[str, str], shop_url: str
) -> None:
    headers = await agent_headers(shop.runtime, shop.client)
    ticket = await _ticket(
        shop, service_headers,
        price_question("c-order", "nl", {"entity": "order_number", "value": "100234"}),
    )
    path = f"/api/v1/tickets/{ticket}/answers"
    before = (await shop.client.get(path, headers=headers)).json()
    assert before["order"] is None and before["order_hidden"] == "not_verified"
    # Another conversation proving the order does not unlock it here.
    await verified(shop_url, "socketio:someone-else", "100234")
    assert (await shop.client.get(path, headers=headers)).json()["order"] is None
    await verified(shop_url, "socketio:c-order", "100234")
    order = (await shop.client.get(path, headers=headers)).json()["order"]
    assert order["number"] == "100234" and order["status"] == "delivered"
    assert order["return_verdict"] == "returnable" and order["return_deadline"]
    assert order["insert"].startswith("Je bestelling 100234 is op ")
    assert "Je kunt de bestelling nog terugsturen tot en met " in order["insert"]


async def test_an_old_order_is_past_its_return_window(
    shop: Inbox, service_headers: dict[str, str], shop_url: str
) -> None:
    headers = await agent_headers(shop.runtime, shop.client)
    ticket = await _ticket(
        shop, service_headers,
        price_question("c-old", "en", {"entity": "order_number", "value": "100007"}),
    )
    await verified(shop_url, "socketio:c-old", "100007")
    order = (
        await shop.client.get(f"/api/v1/tickets/{ticket}/answers", headers=headers)
    ).json()["order"]
    assert order["return_verdict"] == "window_closed"
    assert "The return period of this order ended on " in order["insert"]


async def test_no_mentions_means_nothing_to_show(
    shop: Inbox, service_headers: dict[str, str]
) -> None:
    headers = await agent_headers(shop.runtime, shop.client)
    ticket = await _ticket(shop, service_headers, price_question("c-none", "nl"))
    body = (await shop.client.get(f"/api/v1/tickets/{ticket}/answers", headers=headers)).json()
    assert body["products"] == [] and body["order"] is None
    assert body["order_hidden"] == "none_mentioned" and body["brand_answer"] is None


async def test_answers_need_a_ticket_worker_and_a_ticket(
    shop: Inbox, service_headers: dict[str, str]
) -> None:
    ticket = await _ticket(shop, service_headers, price_question("c-auth", "nl"))
    trainer = await agent_headers(
        shop.runtime, shop.client, email="trainer@linde.test", role="trainer"
    )
    agent = await agent_headers(shop.runtime, shop.client)
    assert (await shop.client.get(f"/api/v1/tickets/{ticket}/answers")).status_code == 401
    refused = await shop.client.get(f"/api/v1/tickets/{ticket}/answers", headers=trainer)
    assert refused.status_code == 403
    missing = await shop.client.get("/api/v1/tickets/999999/answers", headers=agent)
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]


def faq_question(conversation: str, language: str, intent: str) -> dict[str, Any]:
    """An escalated general shop question the assistant recognised as a FAQ topic."""
    body = escalation(conversation, language=language, text="Wat kost verzenden naar België?")
    body["intents"] = [
        {"name": intent, "confidence": 0.52},
        {"name": "order_status", "confidence": 0.3},
    ]
    body["entities"] = []
    return body


async def test_the_brand_answer_for_the_predicted_faq_topic_in_the_tickets_language(
    shop: Inbox, service_headers: dict[str, str]
) -> None:
    headers = await agent_headers(shop.runtime, shop.client)
    dutch = await _ticket(shop, service_headers, faq_question("f-nl", "nl", "faq/shipping_costs"))
    body = (await shop.client.get(f"/api/v1/tickets/{dutch}/answers", headers=headers)).json()
    assert body["predicted_topic"] == "faq/shipping_costs"
    brand = body["brand_answer"]
    assert (brand["topic"], brand["title"]) == ("shipping_costs", "Verzendkosten")
    assert brand["insert"].startswith("Verzenden binnen Nederland kost €4,95")

    english = await _ticket(shop, service_headers, faq_question("f-en", "en", "faq/shipping_costs"))
    body = (await shop.client.get(f"/api/v1/tickets/{english}/answers", headers=headers)).json()
    assert body["brand_answer"]["title"] == "Shipping costs"
    assert body["brand_answer"]["insert"].startswith("Shipping within the Netherlands costs €4.95")

    # A trainer's edit on /staff/answers/ is what the agent inserts from then on.
    trainer = await agent_headers(shop.runtime, shop.client, "trainer@linde.test", "trainer")
    current = next(
        a for a in (await shop.client.get("/api/v1/answers", headers=trainer)).json()
        if a["topic"] == "shipping_costs"
    )
    edited = await shop.client.put("/api/v1/answers/shipping_costs", headers=trainer, json={
        "base_version": current["version"], "body_en": current["body_en"],
        "body_nl": "Verzenden is deze maand gratis.",
    })
    assert edited.status_code == 200, edited.text
    body = (await shop.client.get(f"/api/v1/tickets/{dutch}/answers", headers=headers)).json()
    assert body["brand_answer"]["insert"] == "Verzenden is deze maand gratis."


async def test_no_brand_answer_outside_the_faq_topics(
    shop: Inbox, service_headers: dict[str, str]
) -> None:
    headers = await agent_headers(shop.runtime, shop.client)
    cases = (("f-x", "faq/no_such_topic"), ("f-y", "faq"), ("f-z", "order_status"))
    for conversation, intent in cases:
        ticket = await _ticket(shop, service_headers, faq_question(conversation, "nl", intent))
        body = (await shop.client.get(f"/api/v1/tickets/{ticket}/answers", headers=headers)).json()
        assert body["brand_answer"] is None, intent

