"""The long-lived collaborators of one running app, built in `lifespan` (never at import)."""

from __future__ import annotations

import asyncio
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
    wake_delivery: Callable[[], None] = field(default=lambda: None)
    # Set when the process is asked to stop: live streams end so the server can exit.
    stopping: asyncio.Event = field(default_factory=asyncio.Event)


def after_commit(session: AsyncSession, action: AfterCommit) -> None:
    """Run `action` once the request's transaction has committed (never if it rolls back)."""
    session.info.setdefault("after_commit", []).append(action)


def pop_after_commit(session: AsyncSession) -> list[AfterCommit]:
    """The actions registered on this session, removed from it."""
    actions: list[AfterCommit] = session.info.pop("after_commit", [])
    return actions
