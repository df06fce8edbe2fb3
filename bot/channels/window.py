"""Meta's messaging window: who may be messaged how, given the customer's last message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

STANDARD = "standard"        # inside 24 hours: any reply (messaging_type RESPONSE)
HUMAN_AGENT = "human_agent"  # Messenger/Instagram, up to 7 days: only with the HUMAN_AGENT tag
CLOSED = "closed"            # nothing may be sent (WhatsApp: only an approved template)


@dataclass(frozen=True)
class WindowPolicy:
    """The window lengths; the defaults are Meta's documented ones."""

    standard: timedelta = timedelta(hours=24)
    human_agent: Optional[timedelta] = timedelta(days=7)  # None: the platform has no tag


def window_state(last_inbound: Optional[datetime], now: datetime, policy: WindowPolicy) -> str:
    """STANDARD, HUMAN_AGENT or CLOSED for a reply sent at `now`."""
    if last_inbound is None:
        return CLOSED
    elapsed = now - last_inbound
    if elapsed <= policy.standard:
        return STANDARD
    if policy.human_agent is not None and elapsed <= policy.human_agent:
        return HUMAN_AGENT
    return CLOSED


def time_left(last_inbound: Optional[datetime], now: datetime, policy: WindowPolicy) -> timedelta:
    """Time left in the standard window (zero once it has closed)."""
    if last_inbound is None:
        return timedelta(0)
    return max(timedelta(0), last_inbound + policy.standard - now)
