"""Types shared by the API schemas of several domains."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Path, Query
from pydantic import Field, PlainSerializer
from starlette.types import ASGIApp, Receive, Scope, Send

from kit.clock import DEFAULT_TIMEZONE

# The app's business timezone (settings), set for each request and for the app's lifespan.
_business_timezone: ContextVar[ZoneInfo | None] = ContextVar("business_timezone", default=None)


def _local_iso(value: datetime) -> str:
    return value.astimezone(_business_timezone.get() or ZoneInfo(DEFAULT_TIMEZONE)).isoformat()


# Instants leave the API as ISO 8601 with the offset of the business timezone
# ("2026-11-23T09:30:00+01:00" in Amsterdam).
Instant = Annotated[datetime, PlainSerializer(_local_iso, return_type=str)]


class BusinessTimezone:
    """ASGI middleware: every Instant this app serialises carries `timezone`'s offset.

    It wraps the lifespan too, so the background workers started there (SLA checks, live
    events) inherit the timezone along with the requests.
    """

    def __init__(self, app: ASGIApp, timezone: ZoneInfo) -> None:
        self.app = app
        self.timezone = timezone

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _business_timezone.set(self.timezone)
        try:
            await self.app(scope, receive, send)
        finally:
            _business_timezone.reset(token)
# Row ids are 32-bit integers in the database (PostgreSQL `integer`); a larger number can
# only be a mistake and must be refused as one, not reach the driver and fail there.
ROW_ID_MAX = 2**31 - 1
RowId = Annotated[int, Field(ge=1, le=ROW_ID_MAX)]
PathId = Annotated[int, Path(ge=1, le=ROW_ID_MAX)]
Offset = Annotated[int, Query(ge=0, le=ROW_ID_MAX)]
