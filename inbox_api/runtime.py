"""The long-lived collaborators of one running app, built in `lifespan` (never at import)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from inbox_api.live.broadcaster import Broadcaster
from inbox_api.observability.metrics import InboxMetrics
from inbox_api.settings import Settings
from inbox_api.sla.calendar import BusinessCalendar
from inbox_api.sla.policy import Targets
from inbox_api.sla.scheduler import Scheduler
from inbox_api.staff.cache import StaffCache
from inbox_api.tickets.channels import PUBLIC_POLICY, is_public_channel

log = logging.getLogger(__name__)
AfterCommit = Callable[[], Awaitable[None]]


@dataclass
class Runtime:
    """Engine, sessions, Redis, live events, SLA timers and the delivery wake-up of one app."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    redis: Redis | None
    broadcaster: Broadcaster
    scheduler: Scheduler
    calendar: BusinessCalendar
    targets: Targets
    metrics: InboxMetrics
    staff_cache: StaffCache = field(default_factory=lambda: StaffCache(0))
    wake_delivery: Callable[[], None] = field(default=lambda: None)
    # Looks for waiting tickets to assign now (an escalation, a resolve, an agent online).
    wake_assignment: Callable[[], None] = field(default=lambda: None)
    # Set when the process is asked to stop: live streams end so the server can exit.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    # SLA targets per channel (`public`: every public comment channel), INBOX_CHANNEL_SLA.
    channel_targets: dict[str, Targets] = field(default_factory=dict)

    def targets_for(self, channel: str) -> Targets:
        """The SLA targets of a ticket on `channel`: its own, the public ones, or the default."""
        if channel in self.channel_targets:
            return self.channel_targets[channel]
        if is_public_channel(channel) and PUBLIC_POLICY in self.channel_targets:
            return self.channel_targets[PUBLIC_POLICY]
        return self.targets


def after_commit(session: AsyncSession, action: AfterCommit) -> None:
    """Run `action` once the request's transaction has committed (never if it rolls back)."""
    session.info.setdefault("after_commit", []).append(action)


def pop_after_commit(session: AsyncSession) -> list[AfterCommit]:
    """The actions registered on this session, removed from it."""
    actions: list[AfterCommit] = session.info.pop("after_commit", [])
    return actions


async def run_after_commit(actions: list[AfterCommit]) -> None:
    """Run each action on its own: one failing (Redis away) never stops the next."""
    for action in actions:
        try:
            await action()
        except Exception:
            # The data is committed; timers come back from the database (SLA reconcile), live
            # views reload on reconnect, deliveries are polled from the outbox.
            log.exception("after-commit action failed")
