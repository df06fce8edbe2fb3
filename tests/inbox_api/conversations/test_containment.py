"""Conversation reports from the action server, and containment in the SLA report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation

REPORTS = "/api/v1/conversations/reports"
# A Wednesday, noon in Amsterdam.
NOON = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)


def report(
    conversation_id: str, *, channel: str = "rest", language: str = "nl",
    intent: str = "product_price", turns: int = 2, started: datetime = NOON,
    minutes: int = 3,
) -> dict[str, Any]:
    """A conversation report as the action server sends it (docs/contracts.md)."""
    return {
        "channel": channel,
        "conversation_id": conversation_id,
        "language": language,
        "intent": intent,
        "turns": turns,
        "started_at": started.isoformat(),
        "last_message_at": (started + timedelta(minutes=minutes)).isoformat(),
    }


def _range(days_before: int = 2, days_after: int = 2) -> dict[str, str]:
    return {
        "since": (NOON - timedelta(days=days_before)).isoformat(),
        "until": (NOON + timedelta(days=days_after)).isoformat(),
    }


async def test_only_the_action_server_may_report(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    anonymous = await inbox.client.post(REPORTS, json=report("c-1"))
    assert anonymous.status_code == 401
    staff = await agent_headers(inbox.runtime, inbox.client, role="admin")
    as_staff = await inbox.client.post(REPORTS, json=report("c-1"), headers=staff)
    assert as_staff.status_code == 401
    wrong = {"Authorization": "Bearer not-the-service-token"}
    assert (await inbox.client.post(REPORTS, json=report("c-1"), headers=wrong)).status_code == 401
    accepted = await inbox.client.post(REPORTS, json=report("c-1"), headers=service_headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["turns"] == 2


async def test_reports_move_a_conversation_forward_never_back(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    first = report("c-2", intent="other", turns=1, minutes=0)
    later = report("c-2", intent="faq/shipping_costs", turns=4, minutes=10)
    late_duplicate = report("c-2", intent="order_status", turns=2, minutes=5)
    for body in (first, later, late_duplicate):
        response = await inbox.client.post(REPORTS, json=body, headers=service_headers)
        assert response.status_code == 200, response.text
    stored = response.json()
    assert stored["turns"] == 4
    assert datetime.fromisoformat(stored["started_at"]) == NOON
    assert datetime.fromisoformat(stored["last_message_at"]) == NOON + timedelta(minutes=10)
    staff = await agent_headers(inbox.runtime, inbox.client)
    containment = (
        await inbox.client.get("/api/v1/sla/report", params=_range(), headers=staff)
    ).json()["containment"]
    # The first real intent stays; "other" (only greetings so far) was replaced by it.
    assert containment["by_intent"] == {
        "faq/shipping_costs": {"conversations": 1, "contained": 1, "containment": 1.0}
    }


async def test_malformed_reports_are_refused(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    naive = report("c-3") | {"started_at": "2026-11-25T12:00:00"}
    backwards = report("c-3", minutes=-5)
    unknown_language = report("c-3", language="de")
    no_turns = report("c-3", turns=0)
    odd_intent = report("c-3", intent="<script>")
    for body in (naive, backwards, unknown_language, no_turns, odd_intent):
        response = await inbox.client.post(REPORTS, json=body, headers=service_headers)
        assert response.status_code == 422, (body, response.text)


async def test_containment_by_language_intent_channel_and_day(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    day_before = NOON - timedelta(days=1)
    conversations = [
        report("nl-price", language="nl", intent="product_price"),
        report("nl-order", language="nl", intent="order_status"),
        report("en-price", language="en", intent="product_price", channel="facebook"),
        report("en-handoff", language="en", intent="human_handoff", started=day_before),
        # Outside the period: not counted.
        report("old", language="nl", started=NOON - timedelta(days=10)),
    ]
    for body in conversations:
        response = await inbox.client.post(REPORTS, json=body, headers=service_headers)
        assert response.status_code == 200, response.text
    # Two of them reached a human; a ticket on another channel with the same id is not theirs.
    for conversation_id, channel in (("nl-order", "rest"), ("en-handoff", "rest"),
                                     ("en-price", "instagram")):
        escalated = await inbox.client.post(
            "/api/v1/escalations",
            json=escalation(conversation_id, channel=channel, reason="human_handoff"),
            headers=service_headers,
        )
        assert escalated.status_code == 201, escalated.text

    staff = await agent_headers(inbox.runtime, inbox.client)
    response = await inbox.client.get("/api/v1/sla/report", params=_range(), headers=staff)
    assert response.status_code == 200, response.text
    containment = response.json()["containment"]
    assert containment["overall"] == {"conversations": 4, "contained": 2, "containment": 0.5}
    assert containment["by_language"] == {
        "en": {"conversations": 2, "contained": 1, "containment": 0.5},
        "nl": {"conversations": 2, "contained": 1, "containment": 0.5},
    }
    assert containment["by_intent"]["product_price"] == {
        "conversations": 2, "contained": 2, "containment": 1.0
    }
    assert containment["by_intent"]["order_status"]["containment"] == 0.0
    assert containment["by_channel"] == {
        "facebook": {"conversations": 1, "contained": 1, "containment": 1.0},
        "rest": {"conversations": 3, "contained": 1, "containment": 0.3333},
    }
    # Every day of the range in the business timezone, empty days included.
    days = {p["period_start"]: p for p in containment["over_time"]}
    assert list(days) == ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]
    assert days["2026-11-24"]["conversations"] == 1 and days["2026-11-24"]["contained"] == 0
    assert days["2026-11-25"] == {
        "period_start": "2026-11-25", "conversations": 3, "contained": 2, "containment": 0.6667
    }
    assert days["2026-11-23"]["containment"] is None

    weekly = await inbox.client.get(
        "/api/v1/sla/report", params=_range() | {"bucket": "week"}, headers=staff
    )
    points = weekly.json()["containment"]["over_time"]
    assert [p["period_start"] for p in points] == ["2026-11-23"]
    assert points[0]["conversations"] == 4
    refused = await inbox.client.get(
        "/api/v1/sla/report", params=_range() | {"bucket": "hour"}, headers=staff
    )
    assert refused.status_code == 422
