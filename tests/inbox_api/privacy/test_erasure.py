"""Erase, export and retention over the inbox, the catalogue tables and Rasa's tracker store.

Runs on SQLite (Rasa's own tracker file) and PostgreSQL (Rasa's schema `rasa` in the same
database). The tracker table is made here with Rasa's columns; tests/e2e/test_privacy.py does
the same through a real Rasa.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text, update

from catalogue.migrate import upgrade as upgrade_catalogue
from catalogue.models import Event, Order, Registration, VerificationAttempt
from inbox_api.__main__ import main
from inbox_api.privacy.erasure import erase, export, subject_for
from inbox_api.privacy.models import PrivacyRun
from inbox_api.privacy.rasa_tracker import RasaTrackerStore
from inbox_api.privacy.retention import run_retention
from inbox_api.tickets.models import Ticket
from kit.database import create_engine, session_factory
from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation

RASA_TABLE = (
    "CREATE TABLE IF NOT EXISTS {table} (id {id}, sender_id VARCHAR(255) NOT NULL, "
    "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
    "action_name VARCHAR(255), data TEXT)"
)


async def _rasa_store(inbox: Inbox, tmp_path: Path) -> RasaTrackerStore:
    engine = inbox.runtime.engine
    store = RasaTrackerStore.open(tmp_path / "rasa_tracker.db", engine)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as conn:
            await conn.execute(text("CREATE SCHEMA IF NOT EXISTS rasa"))
            await conn.execute(
                text(RASA_TABLE.format(table="rasa.events", id="SERIAL PRIMARY KEY"))
            )
    else:
        (tmp_path / "rasa_tracker.db").touch()
        async with store.engine.begin() as conn:
            await conn.execute(text(RASA_TABLE.format(table="events", id="INTEGER PRIMARY KEY")))
    return store


async def _rasa_event(store: RasaTrackerStore, sender: str, text_: str, at: datetime) -> None:
    data = json.dumps({"event": "user", "text": text_, "timestamp": at.timestamp()})
    async with store.engine.begin() as conn:
        await conn.execute(
            text(
                f"INSERT INTO {store.table} (sender_id, type_name, timestamp, data) "
                "VALUES (:s, 'user', :t, :d)"
            ),
            {"s": sender, "t": at.timestamp(), "d": data},
        )


async def _catalogue(url: str, email: str, order_number: str, customer: str) -> dict[str, Any]:
    await asyncio.to_thread(upgrade_catalogue, url)
    engine = create_engine(url)
    now = datetime.now(UTC)
    try:
        async with session_factory(engine)() as session, session.begin():
            order = Order(
                number=order_number,
                email=email,
                postcode="1012AB",
                status="delivered",
                placed_at=now,
                tracking_code="3SLDC" + order_number + "NL",
            )
            coming = Event(
                slug="privacy-" + order_number,
                title_en="E",
                title_nl="E",
                description_en="-",
                description_nl="-",
                city="Utrecht",
                venue="V",
                starts_at=now + timedelta(days=3),
                ends_at=now + timedelta(days=3, hours=2),
                capacity=10,
                places_taken=2,
            )
            past = Event(
                slug="privacy-past-" + order_number,
                title_en="P",
                title_nl="P",
                description_en="-",
                description_nl="-",
                city="Utrecht",
                venue="V",
                starts_at=now - timedelta(days=40),
                ends_at=now - timedelta(days=40, hours=-2),
                capacity=10,
                places_taken=1,
            )
            session.add_all([order, coming, past])
            await session.flush()
            session.add_all(
                [
                    Registration(
                        event_id=coming.id,
                        confirmation="EV-" + order_number,
                        name="Anna",
                        email=email,
                        places=2,
                        created_at=now,
                    ),
                    Registration(
                        event_id=past.id,
                        confirmation="EP-" + order_number,
                        name="Piet",
                        email="piet-" + email,
                        places=1,
                        created_at=now,
                    ),
                    VerificationAttempt(
                        order_number=order_number,
                        customer=customer,
                        succeeded=True,
                        attempted_at=now,
                    ),
                ]
            )
            return {"coming": coming.id, "past": past.id}
    finally:
        await engine.dispose()


async def test_export_then_erase_removes_the_customer_everywhere_once(
    inbox: Inbox, service_headers: dict[str, str], tmp_path: Path, database_url: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    email = f"anna-{tag}@example.nl"
    order_number = str(900000 + int(tag[:5], 16) % 99999)
    sender = f"anna-{tag}"
    events = await _catalogue(database_url, email, order_number, f"rest:{sender}")
    store = await _rasa_store(inbox, tmp_path)
    now = datetime.now(UTC)
    await _rasa_event(store, sender, f"mijn mail is {email}", now)
    # Another customer whose address merely ends like Anna's is not Anna.
    await _rasa_event(store, "someone-else", f"hallo, ik ben x{email}", now)
    for text_ in (f"Waar is {order_number}? Mail {email}", "Nog nieuws?"):
        body = escalation(sender, text=text_, channel="rest")
        assert (
            await inbox.client.post("/api/v1/escalations", json=body, headers=service_headers)
        ).status_code in (200, 201)
    other = escalation("bob", text=f"Andere klant, mail x{email}", channel="rest")
    await inbox.client.post("/api/v1/escalations", json=other, headers=service_headers)
    trainer = await agent_headers(inbox.runtime, inbox.client, email="t@linde.test", role="trainer")
    assert (await inbox.client.get("/api/v1/review/items", headers=trainer)).json()["total"] == 2

    async with inbox.runtime.sessions() as session:
        subject = await subject_for(session, store, email=email)
        assert subject.senders == {sender}
        document = await export(session, store, subject)
    assert [m["text"] for m in document["tickets"][0]["messages"]] == [
        f"Waar is {order_number}? Mail {email}",
        "Nog nieuws?",
    ]
    assert [e["data"]["text"] for e in document["rasa_events"]] == [f"mijn mail is {email}"]
    assert [o["number"] for o in document["orders"]] == [order_number]
    assert [r["email"] for r in document["registrations"]] == [email]
    assert len(document["review_items"]) == 1
    assert [a["customer"] for a in document["verification_attempts"]] == [f"rest:{sender}"]
    json.dumps(document)

    async with inbox.runtime.sessions() as session:
        counts = await erase(session, store, await subject_for(session, store, email=email), now)
        await session.commit()
    assert counts == {
        "review_items": 1,
        "messages": 2,
        "deliveries": 0,
        "tickets": 1,
        "orders_anonymised": 1,
        "returns_anonymised": 0,
        "registrations": 1,
        "verification_attempts": 1,
        "rasa_events": 1,
    }
    async with inbox.runtime.sessions() as session:
        # Gone from the inbox and Rasa; the other customer is untouched.
        assert [t.conversation_id for t in await session.scalars(select(Ticket))] == ["bob"]
        assert await store.events([sender]) == []
        assert len(await store.events(["someone-else"])) == 1
        order = await session.scalar(select(Order).where(Order.number == order_number))
        assert order is not None and email not in order.email and order.postcode == ""
        assert order.tracking_code is None
        coming = await session.get(Event, events["coming"])
        assert coming is not None and coming.places_taken == 0  # the two places are free again
        left = (
            await session.execute(
                text("SELECT count(*) FROM registrations WHERE email = :e"), {"e": email}
            )
        ).scalar()
        assert left == 0
        runs = list(await session.scalars(select(PrivacyRun)))
        assert [r.kind for r in runs] == ["erase"] and email not in str(runs[0].subject_hash)
        # Erasing again removes nothing more.
        again = await erase(session, store, await subject_for(session, store, email=email), now)
        assert set(again.values()) == {0}
    await store.close()


async def test_retention_deletes_what_is_older_than_the_period(
    inbox: Inbox, service_headers: dict[str, str], tmp_path: Path, database_url: str
) -> None:
    tag = uuid.uuid4().hex[:8]
    email = f"piet-{tag}@example.nl"
    order_number = str(800000 + int(tag[:5], 16) % 99999)
    events = await _catalogue(database_url, email.replace("piet-", ""), order_number, "rest:x")
    store = await _rasa_store(inbox, tmp_path)
    now = datetime.now(UTC)
    long_ago = now - timedelta(days=200)
    await _rasa_event(store, f"old-{tag}", "oud gesprek", long_ago)
    await _rasa_event(store, f"open-{tag}", "oud maar open", long_ago)
    await _rasa_event(store, f"new-{tag}", "nieuw gesprek", now)
    ids = {}
    for conv in (f"old-{tag}", f"open-{tag}", f"new-{tag}"):
        response = await inbox.client.post(
            "/api/v1/escalations", json=escalation(conv, channel="rest"), headers=service_headers
        )
        ids[conv] = response.json()["ticket_id"]
    trainer = await agent_headers(inbox.runtime, inbox.client, email="t@linde.test", role="trainer")
    await inbox.client.get("/api/v1/review/items", headers=trainer)
    async with inbox.runtime.sessions() as session:
        # The old conversation was resolved 200 days ago; the "open" one is still open.
        await session.execute(
            update(Ticket)
            .where(Ticket.id.in_([ids[f"old-{tag}"], ids[f"new-{tag}"]]))
            .values(status="resolved", resolved_at=long_ago)
        )
        await session.execute(
            update(Ticket).where(Ticket.id == ids[f"new-{tag}"]).values(resolved_at=now)
        )
        await session.commit()

    async with inbox.runtime.sessions() as session:
        counts = await run_retention(session, store, now, days=180, event_days=14)
        await session.commit()
    assert counts["tickets"] == 1 and counts["messages"] == 1 and counts["review_items"] == 1
    assert counts["rasa_conversations"] == 1 and counts["rasa_events"] == 1
    assert counts["registrations_anonymised"] >= 1
    async with inbox.runtime.sessions() as session:
        left = {t.conversation_id for t in await session.scalars(select(Ticket))}
        assert left == {f"open-{tag}", f"new-{tag}"}
        past = await session.scalars(
            select(Registration).where(Registration.event_id == events["past"])
        )
        assert [(r.name, r.email.endswith("@erased.invalid")) for r in past] == [("", True)]
        coming = await session.scalars(
            select(Registration).where(Registration.event_id == events["coming"])
        )
        assert [r.name for r in coming] == ["Anna"]
        again = await run_retention(session, store, now, days=180, event_days=14)
        assert again["tickets"] == 0 and again["rasa_events"] == 0
        assert again["registrations_anonymised"] == 0
    assert len(await store.events([f"open-{tag}"])) == 1
    assert len(await store.events([f"new-{tag}"])) == 1
    await store.close()


def test_the_command_line_names_its_subject_or_refuses(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from inbox_api.migrate import upgrade_head

    upgrade_head(sqlite_url)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("RASA_TRACKER_DB", "/nonexistent/rasa.db")
    assert main(["privacy", "erase", "--conversation", "no-channel"]) == 1
    assert "<channel>:<sender id>" in capsys.readouterr().err
    assert main(["privacy", "erase", "--conversation", "rest:nobody"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Erased in ") and "tickets: 0" in out and "rasa events: 0" in out
    assert main(["privacy", "export", "--email", "nobody@example.nl"]) == 0
    assert json.loads(capsys.readouterr().out)["tickets"] == []
    assert main(["privacy", "retention"]) == 0
    assert "Retention (180 days)" in capsys.readouterr().out
