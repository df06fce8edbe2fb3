"""Instants leave the inbox API with the offset of the configured business timezone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from inbox_api.settings import Settings
from tests.inbox_api.conftest import RasaPeer, make_settings, start_inbox
from tests.inbox_api.tickets.factories import escalation

TOKYO = ZoneInfo("Asia/Tokyo")  # no summer time: the offset is always +09:00


async def test_the_inbox_api_writes_instants_with_the_configured_offset(
    database_url: str, rasa_peer: RasaPeer, service_headers: dict[str, str]
) -> None:
    settings = make_settings(
        database_url, rasa_peer.url, business_timezone="Asia/Tokyo", run_workers=False
    )
    inbox, lifespan = await start_inbox(settings)
    try:
        created = await inbox.client.post(
            "/api/v1/escalations", json=escalation(), headers=service_headers
        )
        assert created.status_code == 201, created.text
        due = created.json()["sla"]["first_response_due_at"]
        assert due.endswith("+09:00")
        # Due within Tokyo's opening hours, as the calendar of the same setting computes it.
        opening = inbox.runtime.settings.business_hours
        local = datetime.fromisoformat(due).astimezone(TOKYO)
        window = opening[local.weekday()]
        assert window[0] <= local.time() <= window[1]
    finally:
        await inbox.client.aclose()
        await lifespan.__aexit__(None, None, None)


def test_the_shared_variable_sets_it_and_an_unknown_zone_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("INBOX_BUSINESS_TIMEZONE", raising=False)
    monkeypatch.setenv("BUSINESS_TIMEZONE", "Asia/Tokyo")
    assert Settings().business_timezone == "Asia/Tokyo"
    monkeypatch.setenv("BUSINESS_TIMEZONE", "Europe/Atlantis")
    with pytest.raises(ValidationError, match="'Europe/Atlantis' is not a known timezone"):
        Settings()
