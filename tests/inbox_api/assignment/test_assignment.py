"""Auto-assignment: language, round robin, caps, nearest deadline first, away release, races."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from inbox_api.assignment.service import assign_waiting, release_from_away
from inbox_api.tickets.models import Ticket
from kit.clock import utc_now
from tests.inbox_api.assignment.factories import admin_headers, make_team, online_agent
from tests.inbox_api.conftest import Inbox, RasaPeer, make_settings, start_inbox
from tests.inbox_api.tickets.factories import escalation


@pytest.fixture
async def quiet(database_url: str, rasa_peer: RasaPeer) -> AsyncIterator[Inbox]:
    """An inbox whose background passes are off: the test runs each pass itself."""
    running, lifespan = await start_inbox(
        make_settings(database_url, rasa_peer.url, run_workers=False)
    )
    try:
        yield running
    finally:
        await running.client.aclose()
        await lifespan.__aexit__(None, None, None)


async def _ticket(inbox: Inbox, cid: str, **kwargs: str) -> int:
    created = await inbox.client.post(
        "/api/v1/escalations",
        json=escalation(cid, **kwargs),
        headers={"Authorization": "Bearer service-token-for-tests"},
    )
    assert created.status_code == 201, created.text
    ticket_id: int = created.json()["ticket_id"]
    return ticket_id


async def _assignees(inbox: Inbox) -> dict[int, int | None]:
    async with inbox.runtime.sessions() as session:
        rows = await session.execute(select(Ticket.id, Ticket.assignee_id))
        return {r[0]: r[1] for r in rows}


async def test_a_dutch_ticket_goes_to_the_online_agent_who_speaks_dutch(quiet: Inbox) -> None:
    admin = await admin_headers(quiet)
    team = await make_team(quiet.client, admin)
    english, _ = await online_agent(quiet, admin, team, "emma@linde.test", languages=("en",))
    dutch, dutch_headers = await online_agent(quiet, admin, team, "daan@linde.test")
    away, away_headers = await online_agent(quiet, admin, team, "anne@linde.test")
    await quiet.client.put(
        "/api/v1/assignment/me/presence", json={"presence": "away"}, headers=away_headers
    )
    ticket = await _ticket(quiet, "nl-1", language="nl")
    done = await assign_waiting(quiet.runtime, utc_now())
    assert [(a.ticket_id, a.staff_id) for a in done] == [(ticket, dutch)]
    detail = (await quiet.client.get(f"/api/v1/tickets/{ticket}", headers=dutch_headers)).json()
    assert detail["assignee"]["id"] == dutch
    me = (await quiet.client.get("/api/v1/assignment/me", headers=dutch_headers)).json()
    assert me["open_tickets"] == 1 and me["presence"] == "online"
    assert english != dutch != away


async def test_round_robin_takes_turns_among_online_agents(quiet: Inbox) -> None:
    admin = await admin_headers(quiet)
    team = await make_team(quiet.client, admin, max_open_per_agent=10)
    a, _ = await online_agent(quiet, admin, team, "a@linde.test")
    b, _ = await online_agent(quiet, admin, team, "b@linde.test")
    c, _ = await online_agent(quiet, admin, team, "c@linde.test")
    tickets = [await _ticket(quiet, f"rr-{i}") for i in range(6)]
    await assign_waiting(quiet.runtime, utc_now())
    owners = await _assignees(quiet)
    assert Counter(owners[t] for t in tickets) == {a: 2, b: 2, c: 2}
    # The next ticket goes to whoever waited longest since their last one.
    order = [owners[t] for t in tickets]
    later = await _ticket(quiet, "rr-later")
    await assign_waiting(quiet.runtime, utc_now())
    assert (await _assignees(quiet))[later] == order[-3]


async def test_everyone_full_the_ticket_waits_until_someone_has_room(quiet: Inbox) -> None:
    admin = await admin_headers(quiet)
    team = await make_team(quiet.client, admin, max_open_per_agent=1)
    agent, headers = await online_agent(quiet, admin, team, "solo@linde.test")
    first = await _ticket(quiet, "full-1")
    second = await _ticket(quiet, "full-2")
    await assign_waiting(quiet.runtime, utc_now())
    owners = await _assignees(quiet)
    assert sorted([owners[first], owners[second]], key=str) == [agent, None]
    held = first if owners[first] == agent else second
    waiting = second if held == first else first
    # Nothing changes while the agent is full.
    assert await assign_waiting(quiet.runtime, utc_now()) == []
    resolved = await quiet.client.post(
        f"/api/v1/tickets/{held}/status", json={"status": "resolved"}, headers=headers
    )
    assert resolved.status_code == 200
    done = await assign_waiting(quiet.runtime, utc_now())
    assert [(d.ticket_id, d.staff_id) for d in done] == [(waiting, agent)]


async def test_the_nearest_sla_deadline_is_assigned_first(quiet: Inbox) -> None:
    admin = await admin_headers(quiet)
    team = await make_team(quiet.client, admin, max_open_per_agent=1)
    agent, _ = await online_agent(quiet, admin, team, "one@linde.test")
    normal = await _ticket(quiet, "sla-normal")
    # A complaint gets the high priority's shorter deadline although it came later.
    urgent = await _ticket(quiet, "sla-complaint", reason="complaint")
    done = await assign_waiting(quiet.runtime, utc_now())
    assert [(d.ticket_id, d.staff_id) for d in done] == [(urgent, agent)]
    assert (await _assignees(quiet))[normal] is None


async def test_a_team_without_auto_assignment_leaves_tickets_in_the_queue(quiet: Inbox) -> None:
    admin = await admin_headers(quiet)
    team = await make_team(quiet.client, admin, auto_assign=False)
    await online_agent(quiet, admin, team, "picker@linde.test")
    ticket = await _ticket(quiet, "manual")
    assert await assign_waiting(quiet.runtime, utc_now()) == []
    assert (await _assignees(quiet))[ticket] is None


async def test_an_away_agents_unanswered_tickets_return_to_the_pool(quiet: Inbox) -> None:
    admin = await admin_headers(quiet)
    team = await make_team(quiet.client, admin, away_release_minutes=10, max_open_per_agent=5)
    agent, headers = await online_agent(quiet, admin, team, "leaves@linde.test")
    unanswered = await _ticket(quiet, "away-1")
    answered = await _ticket(quiet, "away-2")
    await assign_waiting(quiet.runtime, utc_now())
    reply = await quiet.client.post(
        f"/api/v1/tickets/{answered}/replies", json={"text": "Ik kijk het na"}, headers=headers
    )
    assert reply.status_code == 201
    await quiet.client.put(
        "/api/v1/assignment/me/presence", json={"presence": "away"}, headers=headers
    )
    now = utc_now()
    # Not yet: the team gives an away agent ten minutes.
    assert await release_from_away(quiet.runtime, now + timedelta(minutes=9)) == []
    assert await release_from_away(quiet.runtime, now + timedelta(minutes=11)) == [unanswered]
    owners = await _assignees(quiet)
    assert owners[unanswered] is None and owners[answered] == agent
    # A colleague who is online takes it over on the next pass; the away agent never does.
    colleague, _ = await online_agent(quiet, admin, team, "stays@linde.test")
    done = await assign_waiting(quiet.runtime, utc_now())
    assert [(d.ticket_id, d.staff_id) for d in done] == [(unanswered, colleague)]


async def test_racing_workers_never_give_one_ticket_to_two_agents(
    database_url: str, rasa_peer: RasaPeer
) -> None:
    """Three inbox apps (as three workers) on one database run their passes at once."""
    workers = [
        await start_inbox(make_settings(database_url, rasa_peer.url, run_workers=False))
        for _ in range(3)
    ]
    inbox = workers[0][0]
    try:
        admin = await admin_headers(inbox)
        team = await make_team(inbox.client, admin, max_open_per_agent=3)
        agents = [
            (await online_agent(inbox, admin, team, f"racer{i}@linde.test"))[0] for i in range(4)
        ]
        tickets = [await _ticket(inbox, f"race-{i}") for i in range(16)]
        now = utc_now()
        results = await asyncio.gather(
            *(assign_waiting(w.runtime, now) for w, _ in workers for _round in range(2))
        )
        given = [a.ticket_id for result in results for a in result]
        # Every assignment a worker reports is a distinct ticket: no ticket was given twice.
        assert len(given) == len(set(given))
        owners = await _assignees(inbox)
        assert sorted(given) == sorted(t for t in tickets if owners[t] is not None)
        load = Counter(owners[t] for t in tickets if owners[t] is not None)
        # 4 agents x cap 3 = 12 places for 16 tickets: every place filled, none overfilled.
        assert set(load) <= set(agents) and all(n <= 3 for n in load.values())
        assert sum(load.values()) == 12
    finally:
        for running, lifespan in workers:
            await running.client.aclose()
            await lifespan.__aexit__(None, None, None)


async def test_the_background_pass_assigns_a_new_escalation(inbox: Inbox) -> None:
    """With the workers on, an escalation wakes the assignment at once."""
    admin = await admin_headers(inbox)
    team = await make_team(inbox.client, admin)
    agent, _ = await online_agent(inbox, admin, team, "live@linde.test")
    async with inbox.runtime.broadcaster.subscribe() as events:
        ticket = await _ticket(inbox, "woken")
        async with asyncio.timeout(5):
            event = await events.get()
            while event["type"] != "ticket.assigned":
                event = await events.get()
    assert (event["ticket_id"], event["assignee_id"], event["auto"]) == (ticket, agent, True)
    assert (await _assignees(inbox))[ticket] == agent
