"""The review queue through the HTTP API, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from inbox_api.nlu_review.models import TrainingJob
from tests.inbox_api.conftest import Inbox, RasaPeer, make_settings, start_inbox
from tests.inbox_api.nlu_review.factories import escalate
from tests.inbox_api.staff.factories import agent_headers
from training.paths import ProjectPaths


async def trainer(inbox: Inbox) -> dict[str, str]:
    return await agent_headers(
        inbox.runtime, inbox.client, email="trainer@linde.test", role="trainer"
    )


async def pending(inbox: Inbox, headers: dict[str, str]) -> list[dict[str, object]]:
    response = await inbox.client.get("/api/v1/review/items", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, object]] = response.json()["items"]
    return items


async def test_escalated_messages_land_in_the_queue_once(
    review: Inbox, service_headers: dict[str, str]
) -> None:
    first = await escalate(
        review.client, service_headers, "c1", "Kan ik met een cadeaubon betalen?"
    )
    await escalate(
        review.client,
        service_headers,
        "c1",
        "Hallo? Nog iemand daar?",
        reason="customer_message",
    )
    second = await escalate(
        review.client,
        service_headers,
        "c2",
        "Do you ship to Iceland?",
        language="en",
        reason="out_of_scope",
        intent="product_search",
        confidence=0.22,
    )
    headers = await trainer(review)
    items = await pending(review, headers)
    assert [(i["ticket_id"], i["text"], i["language"], i["source"]) for i in items] == [
        (first, "Kan ik met een cadeaubon betalen?", "nl", "fallback"),
        (second, "Do you ship to Iceland?", "en", "out_of_scope"),
    ]
    # The most confident guess is shown (the escalation lists several).
    assert (items[1]["predicted_intent"], items[1]["confidence"]) == ("nlu_fallback", 0.7)
    assert items[0]["transcript"][0] == {"role": "customer", "text": "Hoi"}  # type: ignore[index]
    assert len(await pending(review, headers)) == 2  # collecting again adds nothing

    agent = await agent_headers(review.runtime, review.client)
    reply = await review.client.post(
        f"/api/v1/tickets/{first}/replies", json={"text": "Ja, dat kan!"}, headers=agent
    )
    assert reply.status_code == 201
    assert (await pending(review, headers))[0]["agent_reply"] == "Ja, dat kan!"


async def test_label_writes_the_edited_example_and_only_that_line(
    review: Inbox, service_headers: dict[str, str], project: ProjectPaths
) -> None:
    await escalate(
        review.client,
        service_headers,
        "c3",
        "Hoi, waar blijft bestelling 100777? Groet, Anna (anna@example.nl)",
    )
    headers = await trainer(review)
    item = (await pending(review, headers))[0]
    # The trainer sees the message without the customer's data.
    assert item["text"] == "Hoi, waar blijft bestelling [order]? Groet, Anna ([email])"
    path = project.nlu / "nl" / "shopping.yml"
    before = path.read_text(encoding="utf-8")

    refused = await review.client.post(
        f"/api/v1/review/items/{item['id']}/label",
        json={"intent": "order_status", "language": "nl"},
        headers=headers,
    )
    assert refused.status_code == 422
    body = refused.json()
    assert body["written"] is False
    # Labelled as shown, the placeholders are refused: nothing of the customer's is written.
    assert [r["code"] for r in body["refusals"]] == ["placeholder", "placeholder"]
    first_refusal = body["refusals"][0]
    assert "[order]" in first_refusal["message_nl"] and "verborgen" in first_refusal["message_nl"]
    assert "hidden" in first_refusal["message_en"]
    typed = await review.client.post(
        f"/api/v1/review/items/{item['id']}/label",
        json={"intent": "order_status", "language": "nl", "text": "mail anna@example.nl nou"},
        headers=headers,
    )
    assert typed.status_code == 422
    email = next(r for r in typed.json()["refusals"] if r["code"] == "email")
    assert "e-mailadres" in email["message_nl"] and "email address" in email["message_en"]
    assert path.read_text(encoding="utf-8") == before

    text = "waar blijft bestelling 100777 nou"
    written = await review.client.post(
        f"/api/v1/review/items/{item['id']}/label",
        json={
            "intent": "order_status",
            "language": "nl",
            "text": text,
            "entities": [{"start": 23, "end": 29, "entity": "order_number"}],
        },
        headers=headers,
    )
    assert written.status_code == 200, written.text
    outcome = written.json()
    assert outcome["text"] == "waar blijft bestelling [100777](order_number) nou"
    assert outcome["example_ref"] == "data/nlu/nl/shopping.yml:11"
    assert path.read_text(encoding="utf-8") == before.replace(
        "      - is mijn pakketje al verstuurd\n",
        "      - is mijn pakketje al verstuurd\n"
        "      - waar blijft bestelling [100777](order_number) nou\n",
    )
    assert outcome["item"]["status"] == "labelled"
    assert await pending(review, headers) == []

    again = await review.client.post(
        f"/api/v1/review/items/{item['id']}/label",
        json={"intent": "order_status", "language": "nl", "text": "iets anders"},
        headers=headers,
    )
    assert again.status_code == 409


async def test_refusal_reasons_in_both_languages(
    review: Inbox, service_headers: dict[str, str]
) -> None:
    await escalate(review.client, service_headers, "c4", "What does the Noor blazer cost?")
    headers = await trainer(review)
    item = (await pending(review, headers))[0]
    cases = [
        ({"intent": "greet", "language": "en"}, "conflict", "product_price", "product_price"),
        (
            {
                "intent": "product_price",
                "language": "nl",
                "text": "how much would that red coat cost me",
            },
            "wrong_language",
            "looks English",
            "lijkt Engels",
        ),
        (
            {"intent": "product_colour", "language": "en"},
            "unknown_intent",
            "does not exist",
            "bestaat niet",
        ),
        ({"intent": "greet", "language": "en", "text": "  "}, "empty", "empty", "leeg"),
    ]
    for body, code, english, dutch in cases:
        response = await review.client.post(
            f"/api/v1/review/items/{item['id']}/label", json=body, headers=headers
        )
        assert response.status_code == 422, response.text
        refusal = response.json()["refusals"][0]
        assert refusal["code"] == code
        assert english in refusal["message_en"] and dutch in refusal["message_nl"]
    assert len(await pending(review, headers)) == 1


async def test_dismiss_and_bulk(review: Inbox, service_headers: dict[str, str]) -> None:
    for n, text in enumerate(
        ["Wat is het weer morgen?", "Speel een liedje af", "hoe laat is het nu in Tokio"]
    ):
        await escalate(review.client, service_headers, f"b{n}", text, reason="out_of_scope")
    await escalate(
        review.client, service_headers, "b9", "wat kost de [Lina wrap dress](product) eigenlijk"
    )
    headers = await trainer(review)
    ids = [item["id"] for item in await pending(review, headers)]

    single = await review.client.post(f"/api/v1/review/items/{ids[0]}/dismiss", headers=headers)
    assert single.status_code == 200 and single.json()["status"] == "dismissed"

    labelled = await review.client.post(
        "/api/v1/review/items/bulk",
        json={"ids": ids[1:], "action": "label", "intent": "out_of_scope", "language": "nl"},
        headers=headers,
    )
    assert labelled.status_code == 200, labelled.text
    results = [(o["item_id"], o["result"]) for o in labelled.json()["outcomes"]]
    assert results == [(ids[1], "written"), (ids[2], "written"), (ids[3], "written")]

    again = await review.client.post(
        "/api/v1/review/items/bulk", json={"ids": ids, "action": "dismiss"}, headers=headers
    )
    assert [o["result"] for o in again.json()["outcomes"]] == ["skipped"] * 4
    assert "already" in again.json()["outcomes"][0]["detail"]

    missing = await review.client.post(
        "/api/v1/review/items/bulk", json={"ids": ids, "action": "label"}, headers=headers
    )
    assert missing.status_code == 422
    assert "intent and a language" in missing.json()["detail"]


async def test_agent_suggestion_prefills_the_label(
    review: Inbox, service_headers: dict[str, str]
) -> None:
    ticket = await escalate(review.client, service_headers, "s1", "Mijn jas is kapot aangekomen")
    agent = await agent_headers(review.runtime, review.client)
    bad = await review.client.put(
        f"/api/v1/review/tickets/{ticket}/suggested-intent",
        json={"intent": "broken_item"},
        headers=agent,
    )
    assert bad.status_code == 422
    ok = await review.client.put(
        f"/api/v1/review/tickets/{ticket}/suggested-intent",
        json={"intent": "complaint"},
        headers=agent,
    )
    assert ok.status_code == 200, ok.text
    headers = await trainer(review)
    assert (await pending(review, headers))[0]["suggested_intent"] == "complaint"
    # Agents suggest; labelling is for trainers.
    forbidden = await review.client.get("/api/v1/review/items", headers=agent)
    assert forbidden.status_code == 403


async def test_domain_parity_models_and_jobs(review: Inbox) -> None:
    headers = await trainer(review)
    domain = (await review.client.get("/api/v1/review/domain", headers=headers)).json()
    assert "order_status" in domain["intents"] and "nlu_fallback" not in domain["intents"]
    assert "order_number" in domain["entities"] and domain["languages"] == ["nl", "en"]
    rows = {
        r["intent"]: r
        for r in (await review.client.get("/api/v1/review/parity", headers=headers)).json()
    }
    assert rows["product_price"]["counts"] == {"nl": 2, "en": 4}
    assert rows["product_price"]["flagged"] is True
    assert (await review.client.get("/api/v1/review/models", headers=headers)).json() == []
    assert (await review.client.get("/api/v1/review/jobs/nope", headers=headers)).status_code == 404
    missing = await review.client.post("/api/v1/review/models/nope/promote", headers=headers)
    assert missing.status_code == 404


async def test_trainer_page_is_served_with_a_strict_policy(review: Inbox) -> None:
    page = await review.client.get("/staff/training/")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert (await review.client.get("/staff/training/training.js")).status_code == 200
    assert (await review.client.get("/staff/training/../app.py")).status_code == 404


async def test_action_server_reports_unsure_answers(
    review: Inbox, service_headers: dict[str, str]
) -> None:
    body = {
        "language": "en",
        "source": "clarified",
        "text": "my parcel never showed up",
        "intents": [
            {"name": "order_status", "confidence": 0.44},
            {"name": "refund_status", "confidence": 0.41},
        ],
    }
    anonymous = await review.client.post("/api/v1/review/reports", json=body)
    assert anonymous.status_code == 401
    created = await review.client.post("/api/v1/review/reports", json=body, headers=service_headers)
    assert created.status_code == 201, created.text
    headers = await trainer(review)
    items = await pending(review, headers)
    assert [(i["text"], i["source"], i["predicted_intent"], i["ticket_id"]) for i in items] == [
        ("my parcel never showed up", "clarified", "order_status", None)
    ]
    bad = await review.client.post(
        "/api/v1/review/reports", json={**body, "text": ""}, headers=service_headers
    )
    assert bad.status_code == 422


async def test_without_the_training_worker_nothing_is_written_and_the_page_is_told(
    database_url: str, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    settings = make_settings(database_url, rasa_peer.url, training_edit_wait_seconds=0.3)
    inbox, lifespan = await start_inbox(settings)
    try:
        await escalate(inbox.client, service_headers, "c1", "Kan ik met een cadeaubon betalen?")
        headers = await trainer(inbox)
        domain = await inbox.client.get("/api/v1/review/domain", headers=headers)
        assert domain.status_code == 503 and "training worker" in domain.json()["detail"]
        item = (await pending(inbox, headers))[0]
        label = await inbox.client.post(
            f"/api/v1/review/items/{item['id']}/label",
            json={"intent": "payment_methods", "language": "nl"},
            headers=headers,
        )
        assert label.status_code == 503 and "nothing was written" in label.json()["detail"]
        assert (await pending(inbox, headers))[0]["status"] == "pending"
        # The request's job was withdrawn, so a worker starting later does not write it.
        async with inbox.runtime.sessions() as session:
            jobs = (await session.scalars(select(TrainingJob))).all()
        assert [(job.kind, job.status) for job in jobs] == [("add_example", "cancelled")]
        started = await inbox.client.post(
            "/api/v1/review/trainings", json={"promote": False}, headers=headers
        )
        assert started.status_code == 202 and started.json()["status"] == "queued"
    finally:
        await inbox.client.aclose()
        await lifespan.__aexit__(None, None, None)
