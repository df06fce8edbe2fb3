"""The business calendar at fixed instants, and its laws under hypothesis."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inbox_api.sla.calendar import BusinessCalendar

AMS = ZoneInfo("Europe/Amsterdam")
CAL = BusinessCalendar()


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=AMS)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # Friday afternoon: 1.5 h on Friday, the rest on Saturday (opens 10:00).
        (at(2026, 11, 20, 16, 0), 4, at(2026, 11, 21, 12, 30)),
        # Saturday 15:00: one hour left, Sunday closed, Monday from 09:00.
        (at(2026, 11, 21, 15, 0), 4, at(2026, 11, 23, 12, 0)),
        # Escalated on Sunday night: the clock starts Monday 09:00.
        (at(2026, 11, 22, 23, 0), 0.5, at(2026, 11, 23, 9, 30)),
        # Christmas Eve after hours: 25 and 26 December are holidays, 27th is a Sunday.
        (at(2026, 12, 24, 17, 0), 1, at(2026, 12, 28, 9, 30)),
        # King's Day 2027 (Tuesday 27 April) is closed.
        (at(2027, 4, 26, 17, 0), 1, at(2027, 4, 28, 9, 30)),
        # Across the switch to summer time (Sunday 29 March 2026): offsets change, hours do not.
        (at(2026, 3, 27, 17, 0), 8, at(2026, 3, 30, 10, 30)),
    ],
)
def test_add_business_time_at_fixed_instants(
    start: datetime, hours: float, expected: datetime
) -> None:
    result = CAL.add_business_time(start, timedelta(hours=hours))
    assert result == expected
    assert CAL.business_time_between(start, result) == timedelta(hours=hours)


def test_opening_hours_and_holidays() -> None:
    assert CAL.opening(at(2026, 11, 22).date()) is None  # Sunday
    assert CAL.opening(at(2026, 12, 25).date()) is None  # Christmas
    saturday = CAL.opening(at(2026, 11, 21).date())
    assert saturday == (at(2026, 11, 21, 10, 0), at(2026, 11, 21, 16, 0))
    assert CAL.is_open(at(2026, 11, 23, 9, 0)) and not CAL.is_open(at(2026, 11, 23, 17, 30))
    # A whole week: 5 x 8.5 h + 6 h.
    assert CAL.business_time_between(at(2026, 11, 16), at(2026, 11, 23)) == timedelta(hours=48.5)


def test_rejects_naive_and_negative() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CAL.add_business_time(datetime(2026, 1, 5, 10), timedelta(hours=1))
    with pytest.raises(ValueError, match="negative"):
        CAL.add_business_time(at(2026, 1, 5, 10), timedelta(hours=-1))


def test_a_calendar_that_never_opens_says_so() -> None:
    never = BusinessCalendar(hours={}, closed_days=frozenset())
    with pytest.raises(ValueError, match="no opening hours"):
        never.add_business_time(at(2026, 1, 5), timedelta(minutes=1))


def test_always_open_calendar_is_wall_clock() -> None:
    always = BusinessCalendar(
        timezone=ZoneInfo("UTC"),
        hours={d: (time(0, 0), time(23, 59, 59, 999999)) for d in range(7)},
        closed_days=frozenset(),
    )
    start = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    assert always.add_business_time(start, timedelta(seconds=3)) == start + timedelta(seconds=3)


instants = st.datetimes(
    min_value=datetime(2025, 12, 1), max_value=datetime(2028, 1, 31), timezones=st.just(UTC)
)
durations = st.integers(min_value=0, max_value=200 * 3600).map(lambda s: timedelta(seconds=s))


@settings(max_examples=300, deadline=None)
@given(start=instants, d1=durations, d2=durations)
def test_adding_business_time_is_monotonic(start: datetime, d1: timedelta, d2: timedelta) -> None:
    lo, hi = sorted((d1, d2))
    assert CAL.add_business_time(start, lo) <= CAL.add_business_time(start, hi)


@settings(max_examples=300, deadline=None)
@given(a=instants, gap1=st.integers(0, 40 * 86400), gap2=st.integers(0, 40 * 86400))
def test_splitting_an_interval_never_changes_the_sum(a: datetime, gap1: int, gap2: int) -> None:
    b = a + timedelta(seconds=gap1)
    c = b + timedelta(seconds=gap2)
    whole = CAL.business_time_between(a, c)
    assert CAL.business_time_between(a, b) + CAL.business_time_between(b, c) == whole
    assert whole <= c - a


@settings(max_examples=300, deadline=None)
@given(start=instants, duration=durations)
def test_add_then_measure_gives_the_duration_back(start: datetime, duration: timedelta) -> None:
    end = CAL.add_business_time(start, duration)
    assert end >= start
    assert CAL.business_time_between(start, end) == duration
    if duration > timedelta(0):
        # A deadline never falls in closed time: it is inside or at the end of an open window.
        window = CAL.opening(end.astimezone(AMS).date())
        assert window is not None and window[0] < end <= window[1]
