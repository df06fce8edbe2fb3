"""What a customer gives to prove an order is theirs: an email address or a postcode."""

from __future__ import annotations

import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Dutch "1234 AB" or Belgian "1000".
_POSTCODE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})?$")
_ORDER_NUMBER = re.compile(r"\d{6}")
_ORDER_NUMBER_IN_TEXT = re.compile(r"(?<!\d)\d{6}(?!\d)")


@dataclass(frozen=True)
class Verification:
    """A normalised email address or postcode."""

    kind: Literal["email", "postcode"]
    value: str

    def matches(self, email: str, postcode: str) -> bool:
        """True when this is the order's email or postcode (compared in constant time)."""
        stored = email.strip().lower() if self.kind == "email" else postcode
        return hmac.compare_digest(stored.encode(), self.value.encode())


def parse_verification(text: str | None) -> Verification | None:
    """An email ("Sanne@Example.nl") or postcode ("1012 ab") from free text, else None."""
    if not text:
        return None
    value = text.strip().strip(".,;:!?").strip()
    if _EMAIL.match(value):
        return Verification("email", value.lower())
    match = _POSTCODE.match(value)
    if match:
        return Verification("postcode", (match.group(1) + (match.group(2) or "")).upper())
    return None


def normalise_postcode(text: str) -> str:
    """A postcode as stored: no spaces, upper case."""
    return "".join(text.split()).upper()


def parse_order_number(text: str | None) -> str | None:
    """The six-digit order number in a text ("#100234", "100 234", "order 100234"), else None."""
    if not text:
        return None
    compact = re.sub(r"[\s#.-]", "", text)
    if _ORDER_NUMBER.fullmatch(compact):
        return compact
    match = _ORDER_NUMBER_IN_TEXT.search(text)
    return match.group(0) if match else None


@dataclass(frozen=True)
class AttemptLimits:
    """How many wrong pairs are allowed within a sliding window before verification stops.

    Per order number (known or not, so a lockout says nothing about whether it exists) and
    per customer (channel and sender id). A Belgian postcode has four digits: five tries an
    hour would take months to guess one.
    """

    window: timedelta = timedelta(hours=1)
    per_order: int = 5
    per_customer: int = 3


def locked_until(
    order_failures: Sequence[datetime],
    customer_failures: Sequence[datetime],
    now: datetime,
    limits: AttemptLimits,
) -> datetime | None:
    """When verification opens again, or None when it is open now.

    Locked while the window before `now` holds the limit's number of failures; it opens
    when enough of them have left the window.
    """
    until: datetime | None = None
    for failures, limit in (
        (order_failures, limits.per_order),
        (customer_failures, limits.per_customer),
    ):
        recent = sorted((at for at in failures if now - at < limits.window), reverse=True)
        if len(recent) >= limit:
            opens = recent[limit - 1] + limits.window
            until = opens if until is None else max(until, opens)
    return until
