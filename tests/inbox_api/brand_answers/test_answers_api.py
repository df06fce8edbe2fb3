"""Trainers edit the brand's answers through the inbox: versions, history, both languages, roles."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, text

from inbox_api.brand_answers.models import Answer, AnswersBase, AnswerVersion
from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers

SEEDED = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
async def answers(inbox: Inbox) -> Inbox:
    """The inbox, with the catalogue's answer tables holding two seeded answers."""
    engine = inbox.runtime.engine
    async with engine.begin() as connection:
        # The catalogue's migration makes these tables in production; here the same declaration.
        await connection.run_sync(AnswersBase.metadata.create_all)
    async with inbox.runtime.sessions() as session, session.begin():
        await session.execute(delete(AnswerVersion))
        await session.execute(delete(Answer))
        for topic, en, nl in (
            ("gift_cards", "Gift cards from €10.", "Cadeaubonnen vanaf €10."),
            ("store_hours", "Write to us any time.", "Schrijf ons gerust."),
        ):
            session.add(Answer(topic=topic, title_en=topic, title_nl=topic, body_en=en,
                               body_nl=nl, version=1, updated_at=SEEDED, updated_by="seed"))
            await session.flush()
            session.add(AnswerVersion(topic=topic, version=1, body_en=en, body_nl=nl,
                                      changed_at=SEEDED, changed_by="seed", note=None))
    return inbox


async def test_a_trainer_edits_an_answer_and_the_history_says_who_and_when(answers: Inbox) -> None:
    client = answers.client
    headers = await agent_headers(answers.runtime, client, "trainer@linde.test", "trainer")
    listed = (await client.get("/api/v1/answers", headers=headers)).json()
    assert [(a["topic"], a["version"], a["after_data"]) for a in listed] == [
        ("gift_cards", 1, False), ("store_hours", 1, True),
    ]
    response = await client.put("/api/v1/answers/gift_cards", headers=headers, json={
        "base_version": 1, "body_en": "  Gift cards from €5.  ",
        "body_nl": "Cadeaubonnen vanaf €5.", "note": "new minimum",
    })
    assert response.status_code == 200, response.text
    saved = response.json()
    assert (saved["version"], saved["body_en"], saved["updated_by"]) == (
        2, "Gift cards from €5.", "trainer@linde.test"
    )
    history = (await client.get("/api/v1/answers/gift_cards/history", headers=headers)).json()
    assert [(h["version"], h["changed_by"], h["note"], h["body_nl"]) for h in history] == [
        (2, "trainer@linde.test", "new minimum", "Cadeaubonnen vanaf €5."),
        (1, "seed", None, "Cadeaubonnen vanaf €10."),
    ]
    # Saving the same text again adds no version.
    again = await client.put("/api/v1/answers/gift_cards", headers=headers, json={
        "base_version": 2, "body_en": "Gift cards from €5.", "body_nl": "Cadeaubonnen vanaf €5.",
    })
    assert again.json()["version"] == 2
    history = (await client.get("/api/v1/answers/gift_cards/history", headers=headers)).json()
    assert len(history) == 2


async def test_an_edit_based_on_an_old_version_is_refused(answers: Inbox) -> None:
    client = answers.client
    headers = await agent_headers(answers.runtime, client, "admin@linde.test", "admin")
    edit = {"base_version": 1, "body_en": "A", "body_nl": "B"}
    first = await client.put("/api/v1/answers/gift_cards", headers=headers, json=edit)
    assert first.status_code == 200
    stale = await client.put("/api/v1/answers/gift_cards", headers=headers,
                             json={**edit, "body_en": "C"})
    assert stale.status_code == 409
    assert "version 2" in stale.json()["detail"]


async def test_two_trainers_saving_at_once_make_one_version_each_at_most(answers: Inbox) -> None:
    client = answers.client
    headers = await agent_headers(answers.runtime, client, "trainer@linde.test", "trainer")
    replies = await asyncio.gather(*(
        client.put("/api/v1/answers/gift_cards", headers=headers,
                   json={"base_version": 1, "body_en": f"EN {n}", "body_nl": f"NL {n}"})
        for n in range(4)
    ))
    assert sorted(r.status_code for r in replies) == [200, 409, 409, 409]
    history = (await client.get("/api/v1/answers/gift_cards/history", headers=headers)).json()
    assert [h["version"] for h in history] == [2, 1]


@pytest.mark.parametrize(
    "body",
    [
        {"base_version": 1, "body_en": "Only English", "body_nl": "   "},
        {"base_version": 1, "body_en": "", "body_nl": "Alleen Nederlands"},
        {"base_version": 1, "body_nl": "Alleen Nederlands"},
        {"base_version": 1, "body_en": "x" * 2001, "body_nl": "y"},
    ],
)
async def test_both_languages_are_required(answers: Inbox, body: dict[str, object]) -> None:
    client = answers.client
    headers = await agent_headers(answers.runtime, client, "trainer@linde.test", "trainer")
    response = await client.put("/api/v1/answers/gift_cards", headers=headers, json=body)
    assert response.status_code == 422
    listed = (await client.get("/api/v1/answers", headers=headers)).json()
    assert listed[0]["version"] == 1


async def test_agents_cannot_edit_answers_and_unknown_topics_are_404(answers: Inbox) -> None:
    client = answers.client
    agent = await agent_headers(answers.runtime, client)
    assert (await client.get("/api/v1/answers", headers=agent)).status_code == 403
    edit = {"base_version": 1, "body_en": "A", "body_nl": "B"}
    refused = await client.put("/api/v1/answers/gift_cards", headers=agent, json=edit)
    assert refused.status_code == 403
    assert (await client.get("/api/v1/answers")).status_code == 401
    trainer = await agent_headers(answers.runtime, client, "trainer@linde.test", "trainer")
    unknown = await client.put("/api/v1/answers/no_such", headers=trainer, json=edit)
    assert unknown.status_code == 404
    assert (await client.get("/api/v1/answers/no_such/history", headers=trainer)).status_code == 404


async def test_a_database_without_the_answer_tables_says_so(inbox: Inbox) -> None:
    if not inbox.runtime.settings.database_url.startswith("sqlite"):
        pytest.skip("the session's PostgreSQL database is shared with the catalogue's tests")
    async with inbox.runtime.engine.begin() as connection:
        await connection.execute(text("DROP TABLE IF EXISTS faq_answer_versions"))
        await connection.execute(text("DROP TABLE IF EXISTS faq_answers"))
    client = inbox.client
    headers = await agent_headers(inbox.runtime, client, "trainer@linde.test", "trainer")
    response = await client.get("/api/v1/answers", headers=headers)
    assert response.status_code == 503
    assert "python -m catalogue migrate" in response.json()["detail"]
