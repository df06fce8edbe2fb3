"""Prices and dates written the way a Dutch or English reader expects (every runtime's one rule)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency

# English prices as an Irish reader writes euros ("€79.95"); Dutch ones as "€ 79,95".
_CURRENCY_LOCALE = {"nl": "nl_NL", "en": "en_IE"}
_LOCALE = {"nl": "nl_NL", "en": "en_GB"}


def locale_of(language: str) -> str:
    """The babel locale for a conversation language (English for anything unknown)."""
    return _LOCALE.get(language, _LOCALE["en"])


def format_price(amount: Decimal, language: str) -> str:
    """ "€ 79,95" in Dutch, "€79.95" in English."""
    text = format_currency(amount, "EUR", locale=_CURRENCY_LOCALE.get(language, "en_IE"))
    # Babel puts a no-break space after the euro sign in Dutch; chat clients and the
    # contract write a plain one.
    return text.replace("\xa0", " ")


def format_calendar_day(day: date, language: str) -> str:
    """ "zaterdag 12 december" in Dutch, "Saturday 12 December" in English."""
    return babel_format_date(day, "EEEE d MMMM", locale=locale_of(language))
