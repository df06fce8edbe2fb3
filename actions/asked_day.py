"""Which day a customer asks about: "on Sunday", "morgen", "2nd Christmas day", "26 december".

Dutch (also Flemish) and English words; the answer is the next such day, today included, in
the stores' calendar. Holidays named by the `holidays` library come from the stores' calendar
(catalogue/store_calendar.py), so moving feasts like Easter need no table of our own.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from catalogue.store_calendar import holiday_on_or_after

# Longest phrases first: "tweede kerstdag" before "kerst", "good friday" before "friday".
_FIXED_FEASTS: tuple[tuple[str, tuple[int, int]], ...] = (
    (r"christmas eve|kerstavond", (12, 24)),
    (r"boxing day|(?:2nd|second|2e|2de|tweede) (?:christmas|kerst)(?: ?day|dag)?|26th of december",
     (12, 26)),
    (r"new year'?s eve|oudejaars(?:dag|avond)|oudjaar|silvester", (12, 31)),
    (r"(?:1st|first|1e|eerste) (?:christmas|kerst)(?: ?day|dag)?|christmas(?: day)?|kerstmis|kerst",
     (12, 25)),
    (r"new year'?s(?: day)?|nieuwjaar(?:sdag)?", (1, 1)),
)
_MOVING_FEASTS: tuple[tuple[str, str], ...] = (
    (r"easter monday|(?:2nd|second|2e|2de|tweede) paasdag|paasmaandag", "Easter Monday"),
    (r"good friday|goede vrijdag", "Good Friday"),
    (r"easter(?: sunday)?|(?:1st|first|1e|eerste) paasdag|pasen|paaszondag", "Easter Sunday"),
    (r"king'?s ?day|koningsdag", "King's Day"),
    (r"ascension(?: day)?|hemelvaart(?:sdag)?", "Ascension Day"),
    (r"(?:whit|pentecost) monday|(?:2nd|second|2e|2de|tweede) pinksterdag|pinkstermaandag",
     "Pentecost Monday"),
    (r"pentecost|whitsun(?:day)?|pinksteren|(?:1st|first|1e|eerste) pinksterdag", "Pentecost"),
)
_WEEKDAYS: tuple[str, ...] = (
    r"monday|maandag|mon",
    r"tuesday|dinsdag|tue",
    r"wednesday|woensdag|wed",
    r"thursday|donderdag|thu",
    r"friday|vrijdag|fri",
    r"saturday|zaterdag|sat",
    r"sunday|zondag|sun|koopzondag",
)
_MONTHS: tuple[str, ...] = (
    r"january|januari|jan", r"february|februari|feb", r"march|maart|mar|mrt",
    r"april|apr", r"may|mei", r"june|juni|jun", r"july|juli|jul", r"august|augustus|aug",
    r"september|sept|sep", r"october|oktober|oct|okt", r"november|nov", r"december|dec",
)
_RELATIVE: tuple[tuple[str, int], ...] = (
    (r"day after tomorrow|overmorgen", 2),
    (r"tomorrow|morgen", 1),
    (r"today|tonight|now|right now|vandaag|vanavond|nu|straks", 0),
)


def _word(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'])(?:{pattern})(?![\w'])", re.IGNORECASE)


def _next(month: int, day: int, today: date) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            return None
        if candidate >= today:
            return candidate
    return None


def _explicit_date(text: str, today: date) -> date | None:
    months = "|".join(f"(?:{m})" for m in _MONTHS)
    day_first = re.search(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th|ste|de|e)?\s*(?:of\s+)?({months})\b", text, re.IGNORECASE
    )
    month_first = re.search(
        rf"\b({months})\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", text, re.IGNORECASE
    )
    if day_first:
        return _next(_month_number(day_first.group(2)), int(day_first.group(1)), today)
    if month_first:
        return _next(_month_number(month_first.group(1)), int(month_first.group(2)), today)
    numeric = re.search(r"\b(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2,4}))?\b", text)
    if numeric:
        day, month = int(numeric.group(1)), int(numeric.group(2))
        if 1 <= month <= 12:
            return _next(month, day, today)
    return None


def _month_number(word: str) -> int:
    for number, pattern in enumerate(_MONTHS, start=1):
        if re.fullmatch(pattern, word, re.IGNORECASE):
            return number
    raise ValueError(word)


def asked_day(text: str, today: date) -> date | None:
    """The day a message asks about, or None when it names no day."""
    for pattern, (month, day) in _FIXED_FEASTS:
        if _word(pattern).search(text):
            return _next(month, day, today)
    for pattern, name in _MOVING_FEASTS:
        if _word(pattern).search(text):
            return holiday_on_or_after(name, today)
    explicit = _explicit_date(text, today)
    if explicit is not None:
        return explicit
    for pattern, days in _RELATIVE:
        if _word(pattern).search(text):
            return today + timedelta(days=days)
    for weekday, pattern in enumerate(_WEEKDAYS):
        if _word(pattern).search(text):
            return today + timedelta(days=(weekday - today.weekday()) % 7)
    return None
