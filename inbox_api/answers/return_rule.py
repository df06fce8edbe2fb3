"""Whether a delivered order can still be sent back, as the catalogue's return policy says.

The inbox may not import `catalogue.return_policy`; this is the same rule over the facts the
inbox reads (a product's `returnable` flag already says which categories never go back).
tests/inbox_api/answers/test_catalogue_contract.py compares the two over many
dates and categories, so they cannot drift apart unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from inbox_api.answers.catalogue_reader import OrderFacts

RETURN_WINDOW_DAYS = 30

Verdict = Literal["returnable", "not_delivered", "window_closed", "nothing_returnable"]


@dataclass(frozen=True)
class ReturnEligibility:
    """The verdict, and the last day to return when there is one."""

    verdict: Verdict
    deadline: date | None


def return_deadline(delivered_at: datetime, timezone: ZoneInfo) -> date:
    """The last calendar day (stores' timezone) a delivered order can be returned."""
    return delivered_at.astimezone(timezone).date() + timedelta(days=RETURN_WINDOW_DAYS)


def eligibility(order: OrderFacts, now: datetime, timezone: ZoneInfo) -> ReturnEligibility:
    """Whether the order can be returned at `now`."""
    if order.status != "delivered" or order.delivered_at is None:
        return ReturnEligibility("not_delivered", None)
    deadline = return_deadline(order.delivered_at, timezone)
    if now.astimezone(timezone).date() > deadline:
        return ReturnEligibility("window_closed", deadline)
    if not any(line.returnable for line in order.lines):
        return ReturnEligibility("nothing_returnable", deadline)
    return ReturnEligibility("returnable", deadline)
