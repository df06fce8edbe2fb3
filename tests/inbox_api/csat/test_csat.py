"""The satisfaction survey: asked once, only after a colleague helped and while the channel
allows; answers stored on the ticket, bad ones followed up; late or second answers ignored."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from inbox_api.csat.models import CsatSurvey
from inbox_api.tickets.models import Message
from kit.clock import utc_now
from tests.inbox_api.assignment.factories import admin_headers, make_team, online_agent
from tests.inbox_api.conftest import Inbox, RasaPeer
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


async def _resolved(
    inbox: Inbox,
    rasa_peer: RasaPeer,
    service_headers: dict[str, str],
    cid: str,
    *,
    staff: dict[str, str],
    reply: bool = True,
    channel: str = "socketio",
) -> tuple[int, str]:
    """A ticket a colleague answered (or not) and resolved: (ticket id, hand-back delivery id)."""
    created = await inbox.client.post(
        "/api/v1/escalations", json=escalation(cid, channel=channel), headers=service_headers
    )
    ticket_id: int = created.json()["ticket_id"]
    calls = len(rasa_peer.calls)
    if reply:
        sent = await inbox.client.post(
            f"/api/v1/tickets/{ticket_id}/replies", json={"text": "Geregeld!"}, headers=staff
        )
        assert sent.status_code == 201
        calls += 1
        await rasa_peer.wait_for(calls)
    resolved = await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "resolved"}, headers=staff
    )
    assert resolved.status_code == 200
    await rasa_peer.wait_for(calls + 1)
    handback = rasa_peer.calls[calls]["body"]
    assert handback["name"] == "EXTERNAL_handback"
    return ticket_id, handback["entities"]["delivery_id"]


async def _offer(inbox: Inbox, headers: dict[str, str], delivery: str, cid: str) -> dict[str, Any]:
    response = await inbox.client.post(
        "/api/v1/csat/offers",
        json={"delivery_id": delivery, "conversation_id": cid},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _answer(
    inbox: Inbox, headers: dict[str, str], ticket_id: int, cid: str, rating: str
) -> str:
    response = await inbox.client.post(
        "/api/v1/csat/answers",
        json={"ticket_id": ticket_id, "conversation_id": cid, "rating": rating},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    status: str = response.json()["status"]
    return status


async def test_asked_once_answered_once_and_shown_on_the_ticket(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket, delivery = await _resolved(inbox, rasa_peer, service_headers, "c-1", staff=staff)
    offer = await _offer(inbox, service_headers, delivery, "c-1")
    assert offer == {"offered": True, "ticket_id": ticket, "scale": "one_to_five", "reason": None}
    # The same hand-back relayed again (or a later one) never asks a second time.
    again = await _offer(inbox, service_headers, delivery, "c-1")
    assert (again["offered"], again["reason"]) == (False, "already_asked")

    assert await _answer(inbox, service_headers, ticket, "c-1", "4") == "recorded"
    assert await _answer(inbox, service_headers, ticket, "c-1", "1") == "already_answered"
    comment = await inbox.client.post(
        "/api/v1/csat/comments",
        json={"ticket_id": ticket, "conversation_id": "c-1", "comment": " Snel en vriendelijk "},
        headers=service_headers,
    )
    assert comment.json() == {"status": "recorded"}
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket}", headers=staff)).json()
    assert detail["csat"]["rating"] == 4
    assert detail["csat"]["comment"] == "Snel en vriendelijk"
    assert detail["csat"]["follow_up_id"] is None


async def test_never_for_bot_only_conversations(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    _, delivery = await _resolved(
        inbox, rasa_peer, service_headers, "c-bot", staff=staff, reply=False
    )
    offer = await _offer(inbox, service_headers, delivery, "c-bot")
    assert (offer["offered"], offer["reason"]) == (False, "bot_only")


async def test_not_when_the_channel_no_longer_takes_a_message(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket, delivery = await _resolved(
        inbox, rasa_peer, service_headers, "c-meta", staff=staff, channel="messenger"
    )
    async with inbox.runtime.sessions() as session:
        # The customer last wrote 25 hours ago: Messenger's standard window has closed.
        await session.execute(
            update(Message)
            .where(Message.ticket_id == ticket, Message.role == "customer")
            .values(created_at=utc_now() - timedelta(hours=25))
        )
        await session.commit()
    offer = await _offer(inbox, service_headers, delivery, "c-meta")
    assert (offer["offered"], offer["reason"]) == (False, "channel_closed")


async def test_the_survey_closes_with_the_channel_window(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket, delivery = await _resolved(
        inbox, rasa_peer, service_headers, "c-late", staff=staff, channel="whatsapp"
    )
    async with inbox.runtime.sessions() as session:
        await session.execute(
            update(Message)
            .where(Message.ticket_id == ticket, Message.role == "customer")
            .values(created_at=utc_now() - timedelta(hours=23))
        )
        await session.commit()
    assert (await _offer(inbox, service_headers, delivery, "c-late"))["offered"]
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket}", headers=staff)).json()
    # Open for an hour at most: then WhatsApp would only take a template.
    closes = detail["csat"]["closes_at"]
    async with inbox.runtime.sessions() as session:
        await session.execute(
            update(CsatSurvey)
            .where(CsatSurvey.ticket_id == ticket)
            .values(closes_at=utc_now() - timedelta(seconds=1))
        )
        await session.commit()
    assert await _answer(inbox, service_headers, ticket, "c-late", "5") == "closed"
    detail = (await inbox.client.get(f"/api/v1/tickets/{ticket}", headers=staff)).json()
    assert detail["csat"]["rating"] is None and closes


async def test_a_bad_rating_opens_a_follow_up_for_the_team_lead(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    admin = await admin_headers(inbox)
    team = await make_team(inbox.client, admin, auto_assign=False)
    _, lead = await online_agent(inbox, admin, team, "lead@linde.test", lead=True)
    _, agent = await online_agent(inbox, admin, team, "agent@linde.test")
    ticket, delivery = await _resolved(inbox, rasa_peer, service_headers, "c-bad", staff=agent)
    await _offer(inbox, service_headers, delivery, "c-bad")
    assert await _answer(inbox, service_headers, ticket, "c-bad", "bad") == "recorded"
    await inbox.client.post(
        "/api/v1/csat/comments",
        json={"ticket_id": ticket, "conversation_id": "c-bad", "comment": "Mail anna@example.com"},
        headers=service_headers,
    )
    listed = await inbox.client.get("/api/v1/csat/follow-ups", headers=lead)
    assert listed.status_code == 200
    [item] = listed.json()
    assert (item["ticket_id"], item["rating"], item["team_id"], item["assignee"]) == (
        ticket,
        1,
        team,
        "agent@linde.test",
    )
    # Personal data in the comment is masked where staff see it, as in the messages.
    assert item["comment"] == "Mail [email]"
    assert (await inbox.client.get("/api/v1/csat/follow-ups", headers=agent)).status_code == 403
    done = await inbox.client.post(f"/api/v1/csat/follow-ups/{item['id']}/done", headers=lead)
    assert done.status_code == 200 and done.json()["done_at"] is not None
    twice = await inbox.client.post(f"/api/v1/csat/follow-ups/{item['id']}/done", headers=lead)
    assert twice.status_code == 409
    assert (await inbox.client.get("/api/v1/csat/follow-ups", headers=lead)).json() == []
    everything = await inbox.client.get(
        "/api/v1/csat/follow-ups", params={"include_done": "true"}, headers=lead
    )
    assert [f["id"] for f in everything.json()] == [item["id"]]


async def test_two_answers_at_once_store_one(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket, delivery = await _resolved(inbox, rasa_peer, service_headers, "c-race", staff=staff)
    await _offer(inbox, service_headers, delivery, "c-race")
    verdicts = await asyncio.gather(
        *(_answer(inbox, service_headers, ticket, "c-race", r) for r in ("5", "2", "good"))
    )
    assert sorted(verdicts) == ["already_answered", "already_answered", "recorded"]


async def test_bad_input_is_refused_or_ignored_politely(
    inbox: Inbox, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ticket, delivery = await _resolved(inbox, rasa_peer, service_headers, "c-in", staff=staff)
    for body in (
        {"ticket_id": ticket, "conversation_id": "c-in", "rating": "6"},
        {"ticket_id": ticket, "conversation_id": "c-in", "rating": "great"},
        {"ticket_id": 0, "conversation_id": "c-in", "rating": "5"},
        {"ticket_id": ticket, "conversation_id": "", "rating": "5"},
    ):
        response = await inbox.client.post(
            "/api/v1/csat/answers", json=body, headers=service_headers
        )
        assert response.status_code == 422, body
    for body in (
        {"ticket_id": ticket, "conversation_id": "c-in", "comment": "   "},
        {"ticket_id": ticket, "conversation_id": "c-in", "comment": "x" * 1001},
    ):
        response = await inbox.client.post(
            "/api/v1/csat/comments", json=body, headers=service_headers
        )
        assert response.status_code == 422, body
    bad_offer = await inbox.client.post(
        "/api/v1/csat/offers",
        json={"delivery_id": "1; drop", "conversation_id": "c-in"},
        headers=service_headers,
    )
    assert bad_offer.status_code == 422
    # Only the action server may speak for customers.
    forged = await inbox.client.post(
        "/api/v1/csat/answers",
        json={"ticket_id": ticket, "conversation_id": "c-in", "rating": "1"},
        headers=staff,
    )
    assert forged.status_code == 401
    # Not asked yet, another conversation's ticket, or an unknown delivery: ignored politely.
    assert await _answer(inbox, service_headers, ticket, "c-in", "5") == "not_asked"
    assert (await _offer(inbox, service_headers, delivery, "someone-else"))["reason"] == (
        "unknown_delivery"
    )
    await _offer(inbox, service_headers, delivery, "c-in")
    assert await _answer(inbox, service_headers, ticket, "someone-else", "1") == "not_asked"
    early = await inbox.client.post(
        "/api/v1/csat/comments",
        json={"ticket_id": ticket, "conversation_id": "c-in", "comment": "hoi"},
        headers=service_headers,
    )
    assert early.json() == {"status": "not_asked"}
