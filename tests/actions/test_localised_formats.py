"""Prices, dates and lists as a Dutch and an English reader expect them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from actions.localised_formats import (
    country_name,
    format_day,
    format_list,
    format_price,
    format_time,
)


def test_prices() -> None:
    assert format_price(Decimal("79.95"), "nl") == "€ 79,95"
    assert format_price(Decimal("79.95"), "en") == "€79.95"
    assert format_price(Decimal("1079.5"), "nl") == "€ 1.079,50"
    assert format_price(Decimal("1079.5"), "en") == "€1,079.50"


def test_days() -> None:
    assert format_day(date(2026, 12, 12), "nl") == "zaterdag 12 december"
    assert format_day(date(2026, 12, 12), "en") == "Saturday 12 December"


def test_instants_are_shown_in_amsterdam_time() -> None:
    # 23:30 UTC on 11 December is already Saturday 12 December in Amsterdam.
    late = datetime(2026, 12, 11, 23, 30, tzinfo=UTC)
    assert format_day(late, "nl") == "zaterdag 12 december"
    assert format_time(late) == "00:30"
    summer = datetime(2026, 7, 1, 17, 0, tzinfo=UTC)
    assert format_time(summer) == "19:00"


def test_lists_and_countries() -> None:
    assert format_list(["S", "M", "L"], "nl") == "S, M en L"
    assert format_list(["S", "M", "L"], "en") == "S, M and L"
    assert format_list([], "en") == ""
    assert country_name("BE", "nl") == "België"
    assert country_name("NL", "en") == "Netherlands"
