"""Prices, dates, times and lists written the way a Dutch or English reader expects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from babel import Locale
from babel.dates import format_datetime as babel_format_datetime
from babel.lists import format_list as babel_format_list

from catalogue.return_policy import STORE_TIMEZONE
from kit.formats import format_calendar_day, format_price
from kit.formats import locale_of as _locale

__all__ = [
    "country_name", "format_day", "format_due", "format_list", "format_price", "format_time",
]


def format_day(day: date | datetime, language: str) -> str:
    """ "zaterdag 12 december" in Dutch, "Saturday 12 December" in English (store time zone)."""
    if isinstance(day, datetime):
        day = day.astimezone(STORE_TIMEZONE).date()
    return format_calendar_day(day, language)


def format_time(instant: datetime) -> str:
    """ "19:00": the wall-clock time in the stores' time zone (both languages use 24 hours)."""
    return instant.astimezone(STORE_TIMEZONE).strftime("%H:%M")


def format_list(items: Sequence[str], language: str) -> str:
    """ "a, b en c" in Dutch, "a, b and c" in English."""
    if not items:
        return ""
    return babel_format_list(list(items), locale=_locale(language))


def country_name(code: str, language: str) -> str:
    """A country code in the reader's language ("NL" -> "Nederland" / "the Netherlands")."""
    name = Locale.parse(_locale(language)).territories.get(code, code)
    return str(name)


def format_due(due: datetime, language: str, now: datetime) -> str:
    """ "maandag 09:30" / "Monday 09:30" in store time; the date too when a week or more away."""
    days_ahead = due.astimezone(STORE_TIMEZONE).date() - now.astimezone(STORE_TIMEZONE).date()
    pattern = "EEEE HH:mm" if days_ahead < timedelta(days=6) else "EEEE d MMMM HH:mm"
    return babel_format_datetime(due, pattern, tzinfo=STORE_TIMEZONE, locale=_locale(language))
