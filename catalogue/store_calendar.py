"""The stores' calendar: the hours a store keeps on a given day, from its week and special days.

Pure functions over loaded rows; `today` always comes from the caller (in the stores' zone,
BUSINESS_TIMEZONE). Order of precedence for a day: a dated rule for this store, a dated rule
for every store, a rule for the public holiday falling that day (this store, then every
store), a public holiday without a rule (closed), then the weekly hours.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache

import holidays

from catalogue.models import Store, StoreSpecialDay

# The stores are in the Netherlands: its public holidays, named in English as the seed names them.
HOLIDAY_COUNTRY = "NL"


@lru_cache(maxsize=8)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(HOLIDAY_COUNTRY, years=year, language="en_US")


def public_holiday(day: date) -> str | None:
    """The English name of the Dutch public holiday on `day`, if any."""
    name = _holidays(day.year).get(day)
    return str(name) if name else None


@dataclass(frozen=True)
class DayHours:
    """A store's hours on one day; `opens` is None when it is closed.

    `special` is the rule that made the day differ from the week (None on an ordinary day);
    `holiday` the public holiday falling that day.
    """

    day: date
    opens: time | None
    closes: time | None
    special: StoreSpecialDay | None = None
    holiday: str | None = None

    @property
    def closed(self) -> bool:
        """True when the store does not open that day."""
        return self.opens is None


def _rule_for(
    rules: Sequence[StoreSpecialDay], store: Store, day: date, holiday: str | None
) -> StoreSpecialDay | None:
    dated = [rule for rule in rules if rule.day == day]
    named = [rule for rule in rules if holiday is not None and rule.holiday == holiday]
    for candidates in (dated, named):
        for rule in candidates:
            if rule.store_id == store.id:
                return rule
        for rule in candidates:
            if rule.store_id is None:
                return rule
    return None


def hours_on(store: Store, day: date, rules: Sequence[StoreSpecialDay]) -> DayHours:
    """The hours `store` keeps on `day` (its `hours` must be loaded)."""
    holiday = public_holiday(day)
    rule = _rule_for(rules, store, day, holiday)
    if rule is not None:
        return DayHours(day, rule.opens, rule.closes, special=rule, holiday=holiday)
    if holiday is not None:
        return DayHours(day, None, None, holiday=holiday)
    for hours in store.hours:
        if hours.weekday == day.weekday():
            return DayHours(day, hours.opens, hours.closes)
    return DayHours(day, None, None)


def holiday_on_or_after(name: str, today: date) -> date | None:
    """The next date (today included) of the Dutch public holiday called `name` in English."""
    for year in (today.year, today.year + 1):
        for day, holiday in sorted(_holidays(year).items()):
            if str(holiday) == name and day >= today:
                return day
    return None


def holiday_label(day: date, language: str) -> str | None:
    """The public holiday on `day` in the reader's language ("Tweede kerstdag"), if any."""
    names = holidays.country_holidays(
        HOLIDAY_COUNTRY, years=day.year, language="nl" if language == "nl" else "en_US"
    )
    name = names.get(day)
    return str(name) if name else None
