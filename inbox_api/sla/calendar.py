"""The business calendar: when the support team is open, and business time between instants.

Pure functions of their arguments; every instant must be timezone-aware.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays

from kit.clock import DEFAULT_TIMEZONE

# Monday=0 .. Sunday=6 -> (opening, closing) in local wall-clock time; missing day = closed.
DEFAULT_HOURS: Mapping[int, tuple[time, time]] = {
    0: (time(9, 0), time(17, 30)),
    1: (time(9, 0), time(17, 30)),
    2: (time(9, 0), time(17, 30)),
    3: (time(9, 0), time(17, 30)),
    4: (time(9, 0), time(17, 30)),
    5: (time(10, 0), time(16, 0)),
}
# No calendar in use has a gap this long between two open days; guards against closed-forever.
_MAX_DAYS_SCANNED = 3700


def public_holidays(country: str | None) -> Any:
    """The public holidays of a country (`holidays` package), or none at all."""
    if country is None:
        return frozenset()
    return holidays.country_holidays(country)


def _nl_holidays() -> Any:
    return public_holidays("NL")


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours per weekday in one timezone, closed on the given public holidays."""

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    hours: Mapping[int, tuple[time, time]] = field(default_factory=lambda: dict(DEFAULT_HOURS))
    closed_days: Any = field(default_factory=_nl_holidays, compare=False)

    def opening(self, day: date) -> tuple[datetime, datetime] | None:
        """The open window of one local day as aware instants, or None when closed."""
        if day in self.closed_days:
            return None
        window = self.hours.get(day.weekday())
        if window is None:
            return None
        start = datetime.combine(day, window[0], tzinfo=self.timezone)
        end = datetime.combine(day, window[1], tzinfo=self.timezone)
        return start, end

    def windows_from(self, instant: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open windows that end after `instant`, in order, the first clipped to start there."""
        _require_aware(instant)
        day = instant.astimezone(self.timezone).date()
        for offset in range(_MAX_DAYS_SCANNED):
            window = self.opening(day + timedelta(days=offset))
            if window is None or window[1] <= instant:
                continue
            yield max(window[0], instant), window[1]
        raise ValueError("the business calendar has no opening hours in the next ten years")

    def is_open(self, instant: datetime) -> bool:
        """Whether the team is at work at this instant."""
        window = self.opening(instant.astimezone(self.timezone).date())
        return window is not None and window[0] <= instant < window[1]

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Open time in [start, end); zero when end is not after start."""
        _require_aware(start)
        _require_aware(end)
        total = timedelta(0)
        if end <= start:
            return total
        first = start.astimezone(self.timezone).date()
        last = end.astimezone(self.timezone).date()
        day = first
        while day <= last:
            window = self.opening(day)
            if window is not None:
                lo, hi = max(window[0], start), min(window[1], end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The first instant at which `duration` of open time has passed since `start`."""
        if duration < timedelta(0):
            raise ValueError("duration must not be negative")
        _require_aware(start)
        if duration == timedelta(0):
            return start
        remaining = duration
        for lo, hi in self.windows_from(start):
            available = hi - lo
            if remaining <= available:
                return lo + remaining
            remaining -= available
        raise AssertionError("unreachable: windows_from raises before running out")


def _require_aware(instant: datetime) -> None:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("business time needs timezone-aware instants")
