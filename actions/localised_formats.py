"""Prices, dates, times and lists written the way a Dutch or English reader expects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.lists import format_list as babel_format_list
from babel.numbers import format_currency

from catalogue.return_policy import STORE_TIMEZONE

# English prices as an Irish reader writes euros ("€79.95"); Dutch ones as "€ 79,95".
_CURRENCY_LOCALE = {"nl": "nl_NL", "en": "en_IE"}
_LOCALE = {"nl": "nl_NL", "en": "en_GB"}


def _locale(language: str) -> str:
    return _LOCALE.get(language, _LOCALE["en"])


def format_price(amount: Decimal, language: str) -> str:
    """ "€ 79,95" in Dutch, "€79.95" in English."""
    text = format_currency(amount, "EUR", locale=_CURRENCY_LOCALE.get(language, "en_IE"))
    # Babel puts a no-break space after the euro sign in Dutch; chat clients and the
    # contract write a plain one.
    return text.replace("\xa0", " ")


def format_day(day: date | datetime, language: str) -> str:
    """ "zaterdag 12 december" in Dutch, "Saturday 12 December" in English (store time zone)."""
    if isinstance(day, datetime):
        day = day.astimezone(STORE_TIMEZONE).date()
    return babel_format_date(day, "EEEE d MMMM", locale=_locale(language))


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
