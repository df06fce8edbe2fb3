"""Meta's reply window on a ticket: 24 hours, 7 days with HUMAN_AGENT, WhatsApp's template."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from inbox_api.tickets.reply_window import reply_window
from tests.inbox_api.conftest import Inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation

LAST = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)  # Friday evening


@pytest.mark.parametrize(
    ("channel", "elapsed", "state", "warning"),
    [
        ("messenger", timedelta(hours=1), "open", False),
        ("instagram", timedelta(hours=22, minutes=30), "open", True),
        ("messenger", timedelta(days=2, hours=16), "human_agent", False),  # Monday's shift
        ("instagram", timedelta(days=8), "closed", False),
        ("whatsapp", timedelta(hours=23), "open", True),
        ("whatsapp", timedelta(hours=25), "template_only", False),
    ],
)
def test_window_states(channel: str, elapsed: timedelta, state: str, warning: bool) -> None:
    window = reply_window(channel, LAST, LAST + elapsed)
    assert window is not None
    assert (window.state, window.warning) == (state, warning)
    assert window.closes_at == LAST + timedelta(hours=24)
    assert window.seconds_left == max(0, int((timedelta(hours=24) - elapsed).total_seconds()))


def test_channels_without_a_window() -> None:
    assert reply_window("socketio", LAST, LAST) is None
    assert reply_window("messenger_comment", LAST, LAST) is None
    assert reply_window("messenger", None, LAST) is None
    whatsapp = reply_window("whatsapp", LAST, LAST)
    assert whatsapp is not None and whatsapp.human_agent_until is None


async def test_the_ticket_shows_the_window_of_its_channel(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    staff = await agent_headers(inbox.runtime, inbox.client)
    ids = {}
    for channel in ("messenger", "socketio"):
        created = await inbox.client.post(
            "/api/v1/escalations", json=escalation(f"{channel}-1", channel=channel),
            headers=service_headers,
        )
        ids[channel] = created.json()["ticket_id"]
    meta = (await inbox.client.get(f"/api/v1/tickets/{ids['messenger']}", headers=staff)).json()
    window = meta["reply_window"]
    assert window["state"] == "open" and window["warning"] is False
    assert 23 * 3600 < window["seconds_left"] <= 24 * 3600
    assert datetime.fromisoformat(window["human_agent_until"]) - datetime.fromisoformat(
        window["closes_at"]) == timedelta(days=6)
    web = (await inbox.client.get(f"/api/v1/tickets/{ids['socketio']}", headers=staff)).json()
    assert web["reply_window"] is None
