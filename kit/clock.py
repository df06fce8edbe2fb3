"""The one clock: rules take `now` as a parameter; the edges ask this module for it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Clock = Callable[[], datetime]

# The brand's business timezone unless BUSINESS_TIMEZONE says otherwise (every runtime's settings).
DEFAULT_TIMEZONE = "Europe/Amsterdam"


def utc_now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def timezone_named(name: str) -> ZoneInfo:
    """The IANA timezone `name`; ValueError with a clear message when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"{name!r} is not a known timezone; use an IANA name such as {DEFAULT_TIMEZONE!r}"
        ) from error
