"""SLA policies per channel (INBOX_CHANNEL_SLA, `public` for comments) and the report by channel."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest

from inbox_api.sla.policy import DEFAULT_TARGETS, channel_targets
from tests.inbox_api.conftest import Inbox, RasaPeer, make_settings, start_inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


def test_a_channel_policy_replaces_only_what_it_names() -> None:
    tables = channel_targets(
        DEFAULT_TARGETS,
        {"whatsapp": {"first_response": {"normal": 15}}, "public": {"resolution": {"high": 120}}},
    )
    whatsapp = tables["whatsapp"]
    assert whatsapp.budget("first_response", "normal") == timedelta(minutes=15)
    assert whatsapp.budget("first_response", "high") == DEFAULT_TARGETS.budget(
        "first_response", "high"
    )
    assert whatsapp.budget("resolution", "normal") == DEFAULT_TARGETS.budget("resolution", "normal")
    assert tables["public"].budget("resolution", "high") == timedelta(minutes=120)


@pytest.fixture
async def channel_inbox(database_url: str, rasa_peer: RasaPeer) -> AsyncIterator[Inbox]:
    """An inbox whose WhatsApp tickets must be answered in 15 business minutes."""
    settings = make_settings(
        database_url,
        rasa_peer.url,
        channel_sla={
            "whatsapp": {"first_response": {"normal": 15}},
            "public": {"first_response": {"urgent": 30, "high": 45, "normal": 45, "low": 45}},
        },
    )
    running, lifespan = await start_inbox(settings)
    try:
        yield running
    finally:
        await running.client.aclose()
        await lifespan.__aexit__(None, None, None)


async def test_deadlines_follow_the_channels_policy_and_the_report_splits_by_channel(
    channel_inbox: Inbox, service_headers: dict[str, str]
) -> None:
    inbox = channel_inbox
    staff = await agent_headers(inbox.runtime, inbox.client)
    due: dict[str, datetime] = {}
    ids: dict[str, int] = {}
    for channel in ("whatsapp", "socketio", "instagram_comment"):
        created = await inbox.client.post(
            "/api/v1/escalations",
            json=escalation(f"{channel}-1", channel=channel),
            headers=service_headers,
        )
        assert created.status_code == 201, created.text
        ids[channel] = created.json()["ticket_id"]
        due[channel] = datetime.fromisoformat(created.json()["sla"]["first_response_due_at"])
    calendar = inbox.runtime.calendar
    # Each deadline is its channel's budget in business time after its own escalation (the
    # three escalations are moments apart): web chat 240 minutes, WhatsApp 15, comments 45.
    budgets = {"socketio": 240, "whatsapp": 15, "instagram_comment": 45}
    for channel, minutes in budgets.items():
        ticket = (await inbox.client.get(f"/api/v1/tickets/{ids[channel]}", headers=staff)).json()
        escalated = datetime.fromisoformat(ticket["escalated_at"])
        assert calendar.business_time_between(escalated, due[channel]) == timedelta(
            minutes=minutes
        ), channel
    # Public comments are high priority too (the `public` policy's own high entry applies).
    detail = (
        await inbox.client.get(f"/api/v1/tickets/{ids['instagram_comment']}", headers=staff)
    ).json()
    assert (detail["priority"], detail["tags"]) == ("high", ["public"])

    report = (await inbox.client.get("/api/v1/sla/report", headers=staff)).json()
    assert set(report["by_channel"]) == {"whatsapp", "socketio", "instagram_comment"}
    for part in report["by_channel"].values():
        assert part["tickets"] == 1
        assert set(part["metrics"]) == {"first_response", "next_response", "resolution"}
    assert report["tickets"] == 3
