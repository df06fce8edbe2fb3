"""Types shared by the API schemas of several domains."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import PlainSerializer

BUSINESS_TZ = ZoneInfo("Europe/Amsterdam")


def _local_iso(value: datetime) -> str:
    return value.astimezone(BUSINESS_TZ).isoformat()


# Instants leave the API as ISO 8601 with the Amsterdam offset ("2026-11-23T09:30:00+01:00").
Instant = Annotated[datetime, PlainSerializer(_local_iso, return_type=str)]
