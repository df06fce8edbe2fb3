"""Saved replies: bilingual, variables from the ticket and catalogue, placeholders, audited."""

from __future__ import annotations

from typing import Any

from tests.inbox_api.conftest import Inbox, RasaPeer
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation

PRICE = {
    "shortcut": "prijs",
    "title": "Prijs van een product",
    "body_nl": "Hoi {{customer.name}}, de prijs is {{product.price}}. Je bestelling "
    "{{order.number}}: [[levertijd]]. We reageren uiterlijk {{sla.first_response_due}}.",
    "body_en": "Hi {{customer.name}}, the price is {{product.price}}. Order "
    "{{order.number}}: [[delivery time]].",
}


async def _admin(inbox: Inbox) -> dict[str, str]:
    return await agent_headers(inbox.runtime, inbox.client, email="admin@linde.test", role="admin")


async def _ticket(
    inbox: Inbox, service_headers: dict[str, str], language: str, **extra: Any
) -> int:
    body = escalation(f"c-{language}", language=language, text="Wat kost de Lina wikkeljurk?")
    body["entities"] = [
        {"entity": "product", "value": "Lina wikkeljurk"},
        {"entity": "order_number", "value": "100234"},
        *extra.get("entities", []),
    ]
    response = await inbox.client.post("/api/v1/escalations", json=body, headers=service_headers)
    assert response.status_code == 201, response.text
    ticket_id: int = response.json()["ticket_id"]
    return ticket_id


async def test_dutch_ticket_gets_the_dutch_variant_with_its_values_filled(
    shop: Inbox, service_headers: dict[str, str]
) -> None:
    admin = await _admin(shop)
    created = await shop.client.post("/api/v1/saved-replies", json=PRICE, headers=admin)
    assert created.status_code == 201
    agent = await agent_headers(shop.runtime, shop.client)
    ticket = await _ticket(
        shop, service_headers, "nl", entities=[{"entity": "customer_name", "value": "Sanne"}]
    )
    rendered = await shop.client.get(f"/api/v1/tickets/{ticket}/saved-replies/prijs", headers=agent)
    assert rendered.status_code == 200, rendered.text
    body = rendered.json()
    assert body["language"] == "nl"
    assert body["text"].startswith(
        "Hoi Sanne, de prijs is € 79,95. Je bestelling 100234: [[levertijd]]. "
        "We reageren uiterlijk "
    )
    assert "{{" not in body["text"] and body["placeholders"] == ["levertijd"]


async def test_a_value_the_ticket_lacks_becomes_a_placeholder_to_fill(
    shop: Inbox, service_headers: dict[str, str]
) -> None:
    admin = await _admin(shop)
    await shop.client.post("/api/v1/saved-replies", json=PRICE, headers=admin)
    ticket = await _ticket(shop, service_headers, "en")
    body = (
        await shop.client.get(f"/api/v1/tickets/{ticket}/saved-replies/prijs", headers=admin)
    ).json()
    assert body["text"] == (
        "Hi [[customer.name]], the price is €79.95. Order 100234: [[delivery time]]."
    )
    assert body["placeholders"] == ["customer.name", "delivery time"]


async def test_a_missing_language_is_flagged_and_never_sent_in_the_other(
    shop: Inbox, service_headers: dict[str, str]
) -> None:
    admin = await _admin(shop)
    only_dutch = {**PRICE, "shortcut": "alleennl", "body_en": "  "}
    created = await shop.client.post("/api/v1/saved-replies", json=only_dutch, headers=admin)
    assert created.status_code == 201 and created.json()["missing_languages"] == ["en"]
    listed = (await shop.client.get("/api/v1/saved-replies", headers=admin)).json()
    assert [(r["shortcut"], r["missing_languages"]) for r in listed] == [("alleennl", ["en"])]
    ticket = await _ticket(shop, service_headers, "en")
    refused = await shop.client.get(
        f"/api/v1/tickets/{ticket}/saved-replies/alleennl", headers=admin
    )
    assert refused.status_code == 409
    assert "no English variant" in refused.json()["detail"]


async def test_unknown_variables_and_bad_replies_are_refused_on_save(shop: Inbox) -> None:
    admin = await _admin(shop)
    bad: list[tuple[dict[str, Any], str]] = [
        ({**PRICE, "body_nl": "Hoi {{customer.naam}}!"}, "unknown variable {{customer.naam}}"),
        ({**PRICE, "body_en": "Total {{order.total}}"}, "unknown variable {{order.total}}"),
        ({**PRICE, "body_nl": "Reden: [[]]"}, "placeholder [[]]"),
        ({**PRICE, "body_nl": None, "body_en": ""}, "at least one of body_nl and body_en"),
        ({**PRICE, "shortcut": "Prijs!"}, "shortcut"),
        ({**PRICE, "shortcut": ""}, "shortcut"),
        ({**PRICE, "title": "   "}, "title"),
        ({**PRICE, "body_nl": "x" * 4001}, "body_nl"),
        ({"shortcut": "x"}, "title"),
    ]
    for body, needle in bad:
        response = await shop.client.post("/api/v1/saved-replies", json=body, headers=admin)
        assert response.status_code == 422, (body, response.text)
        assert needle in response.json()["detail"], response.json()["detail"]
    assert (await shop.client.get("/api/v1/saved-replies", headers=admin)).json() == []
    changes = await shop.client.get("/api/v1/saved-replies/changes", headers=admin)
    assert changes.json() == []


async def test_only_admins_manage_and_every_change_is_audited(shop: Inbox) -> None:
    admin = await _admin(shop)
    agent = await agent_headers(shop.runtime, shop.client)
    for method, path in (
        ("POST", "/api/v1/saved-replies"),
        ("PUT", "/api/v1/saved-replies/1"),
        ("DELETE", "/api/v1/saved-replies/1"),
        ("GET", "/api/v1/saved-replies/changes"),
    ):
        response = await shop.client.request(method, path, json=PRICE, headers=agent)
        assert response.status_code == 403, path
    created = (await shop.client.post("/api/v1/saved-replies", json=PRICE, headers=admin)).json()
    taken = await shop.client.post("/api/v1/saved-replies", json=PRICE, headers=admin)
    assert taken.status_code == 409 and "/prijs is taken" in taken.json()["detail"]
    changed = {**PRICE, "title": "Prijsvraag"}
    updated = await shop.client.put(
        f"/api/v1/saved-replies/{created['id']}", json=changed, headers=admin
    )
    assert updated.status_code == 200 and updated.json()["title"] == "Prijsvraag"
    missing = await shop.client.put("/api/v1/saved-replies/999999", json=changed, headers=admin)
    assert missing.status_code == 404
    other = (
        await shop.client.post(
            "/api/v1/saved-replies", json={**PRICE, "shortcut": "ander"}, headers=admin
        )
    ).json()
    clash = await shop.client.put(
        f"/api/v1/saved-replies/{other['id']}", json=changed, headers=admin
    )
    assert clash.status_code == 409
    deleted = await shop.client.delete(f"/api/v1/saved-replies/{created['id']}", headers=admin)
    assert deleted.status_code == 204
    trail = (await shop.client.get("/api/v1/saved-replies/changes", headers=admin)).json()
    assert [(c["action"], c["shortcut"]) for c in trail] == [
        ("deleted", "prijs"), ("created", "ander"), ("updated", "prijs"), ("created", "prijs"),
    ]
    assert trail[0]["staff"]["name"] and trail[0]["after"] is None
    assert trail[0]["before"]["title"] == "Prijsvraag"
    assert trail[2]["before"]["title"] == PRICE["title"]
    assert trail[2]["after"]["title"] == "Prijsvraag"


async def test_rendering_unknown_or_malformed_shortcuts(
    shop: Inbox, service_headers: dict[str, str]
) -> None:
    agent = await agent_headers(shop.runtime, shop.client)
    ticket = await _ticket(shop, service_headers, "nl")
    unknown = await shop.client.get(f"/api/v1/tickets/{ticket}/saved-replies/nope", headers=agent)
    assert unknown.status_code == 404 and "/nope" in unknown.json()["detail"]
    bad = await shop.client.get(f"/api/v1/tickets/{ticket}/saved-replies/NO%20PE", headers=agent)
    assert bad.status_code == 422
    no_ticket = await shop.client.get("/api/v1/tickets/999999/saved-replies/nope", headers=agent)
    assert no_ticket.status_code == 404


async def test_a_reply_with_unfilled_placeholders_is_refused_with_their_names(
    shop: Inbox, service_headers: dict[str, str], rasa_peer: RasaPeer
) -> None:
    agent = await agent_headers(shop.runtime, shop.client)
    ticket = await _ticket(shop, service_headers, "nl")
    path = f"/api/v1/tickets/{ticket}/replies"
    for text, named in (
        ("Hoi [[customer.name]], dat komt door [[ reason ]].", "[[customer.name]], [[reason]]"),
        ("De prijs is {{product.price}}.", "{{product.price}}"),
    ):
        refused = await shop.client.post(path, json={"text": text}, headers=agent)
        assert refused.status_code == 422
        assert refused.json()["detail"] == f"Fill in before sending: {named}."
    detail = (await shop.client.get(f"/api/v1/tickets/{ticket}", headers=agent)).json()
    assert [m["role"] for m in detail["messages"]] == ["customer"]
    assert detail["assignee"] is None
    # A note is for colleagues: placeholders are fine there; and a finished reply goes out.
    note = await shop.client.post(
        f"/api/v1/tickets/{ticket}/notes", json={"text": "Template [[x]]"}, headers=agent
    )
    assert note.status_code == 201
    finished = {"text": "Hoi Sanne, dat komt door de storm."}
    sent = await shop.client.post(path, json=finished, headers=agent)
    assert sent.status_code == 201
    await rasa_peer.wait_for(1)
    assert rasa_peer.texts("c-nl") == ["Hoi Sanne, dat komt door de storm."]
