"""The return policy as rules: window, free-return countries, refund timing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from catalogue.settings import CatalogueSettings
from kit.clock import timezone_named

# The stores' zone from BUSINESS_TIMEZONE (the setting every runtime shares), read once per process.
STORE_TIMEZONE: ZoneInfo = timezone_named(CatalogueSettings().business_timezone)
RETURN_WINDOW_DAYS = 30
REFUND_BUSINESS_DAYS = 5
RETURN_SHIP_WITHIN_DAYS = 14
FREE_RETURN_COUNTRIES = ("NL", "BE")
# Hygiene and jewellery rules: these categories cannot be sent back.
NON_RETURNABLE_CATEGORIES = frozenset({"earrings", "underwear"})


def local_date(instant: datetime) -> date:
    """The calendar day of an instant in the stores' time zone."""
    return instant.astimezone(STORE_TIMEZONE).date()


def return_deadline(delivered_at: datetime) -> date:
    """The last day a delivered order can be returned."""
    return local_date(delivered_at) + timedelta(days=RETURN_WINDOW_DAYS)


def within_return_window(delivered_at: datetime, now: datetime) -> bool:
    """True while `now` is on or before the return deadline."""
    return local_date(now) <= return_deadline(delivered_at)


@lru_cache(maxsize=8)
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=[year, year + 1])


def add_business_days(start: date, days: int) -> date:
    """`days` working days after `start`, skipping weekends and Dutch public holidays."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in _dutch_holidays(current.year):
            remaining -= 1
    return current


def expected_refund_date(received_at: datetime) -> date:
    """When a refund is due for a return that arrived at `received_at`."""
    return add_business_days(local_date(received_at), REFUND_BUSINESS_DAYS)
