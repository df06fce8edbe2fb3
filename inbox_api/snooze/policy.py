"""What snooze may do to a ticket, as pure functions of its SLA snapshot and `now`.

The rules (docs/inbox.md, "Snooze and the SLA clocks"):
- Snooze never stops a clock by itself. The first-response and next-response clocks measure
  how long the customer waits for a human, and a snoozed ticket's customer waits just the same.
- A timed snooze ends at the time asked for, or earlier at the warning point of any clock still
  running, so a snoozed ticket is back in the queue before it can breach unseen.
- "Until the customer answers" is only for a ticket whose customer has been answered (no
  first- or next-response clock running): the ticket waits on the customer, which pauses the
  resolution clock exactly as "waiting on customer" always has.
- A customer message ends every snooze; resolving ends it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from inbox_api.sla.policy import ClockStatus, Metric

MAX_SNOOZE = timedelta(days=30)
RUNNING = ("running", "warning", "breached")
RESPONSE_METRICS: tuple[Metric, ...] = ("first_response", "next_response")


class SnoozeRefused(ValueError):
    """The snooze asked for would hide a customer who waits, or makes no sense."""


@dataclass(frozen=True)
class Snooze:
    """A granted snooze: until when (None = until the customer answers), and why it ends early."""

    mode: str
    until: datetime | None
    # The clock whose warning point ends a timed snooze before the time asked for.
    shortened_by: Metric | None = None


def waiting_customer(current: Mapping[Metric, ClockStatus | None]) -> Metric | None:
    """The response clock still running (a customer waits for a human), if any."""
    for metric in RESPONSE_METRICS:
        status = current.get(metric)
        if status is not None and status.state in RUNNING:
            return metric
    return None


def until_time(
    until: datetime, current: Mapping[Metric, ClockStatus | None], now: datetime
) -> Snooze:
    """A timed snooze, ended early at the first warning point of a running clock."""
    if until <= now:
        raise SnoozeRefused("Snooze until a time that is still to come.")
    if until - now > MAX_SNOOZE:
        raise SnoozeRefused("Snooze for at most 30 days.")
    wake, cause = until, None
    for metric, status in current.items():
        if status is None or status.state not in RUNNING:
            continue
        if status.state != "running":
            raise SnoozeRefused(
                f"The {metric.replace('_', ' ')} clock is already in {status.state}; "
                "answer the ticket instead of snoozing it."
            )
        if status.warning_at is not None and status.warning_at < wake:
            wake, cause = status.warning_at, metric
    return Snooze("time", wake, cause)


def until_reply(current: Mapping[Metric, ClockStatus | None]) -> Snooze:
    """A snooze until the customer writes; refused while the customer waits for an answer."""
    waiting = waiting_customer(current)
    if waiting is not None:
        raise SnoozeRefused(
            f"The customer is waiting for an answer ({waiting.replace('_', ' ')}); reply "
            "first, or snooze until a time."
        )
    return Snooze("reply", None)
