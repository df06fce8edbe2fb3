"""Retention: what is older than RETENTION_DAYS goes, on a timer in every inbox worker.

Deleted: resolved tickets resolved before the cut-off (with their messages, deliveries, SLA
events, surveys), review items created before it, Rasa conversations idle since before it
(unless the conversation still has an unresolved ticket), verification attempts. Past events'
registrations lose their name and e-mail. Orders and returns are the shop's books and stay
(`privacy erase --email` anonymises them on request). Each pass re-reads what is due, so two
workers running it at once only share the work.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, delete, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from inbox_api.background import stop_task
from inbox_api.delivery.models import Delivery
from inbox_api.nlu_review.models import ReviewItem
from inbox_api.privacy.erasure import ERASED_DOMAIN, affected, catalogue_tables, deleted
from inbox_api.privacy.models import PrivacyRun
from inbox_api.privacy.rasa_tracker import RasaTrackerStore
from inbox_api.tickets.models import Message, Ticket
from kit.clock import utc_now
from kit.orm import UtcDateTime

log = logging.getLogger(__name__)


async def run_retention(
    session: AsyncSession,
    rasa: RasaTrackerStore,
    now: datetime,
    days: int,
    event_days: int,
) -> dict[str, int]:
    """One retention pass; the number of records deleted or anonymised per kind."""
    cutoff = now - timedelta(days=days)
    counts: dict[str, int] = {}
    old = list(
        await session.scalars(
            select(Ticket.id).where(Ticket.status == "resolved", Ticket.resolved_at < cutoff)
        )
    )
    counts["review_items"] = await deleted(
        session,
        delete(ReviewItem).where((ReviewItem.created_at < cutoff) | ReviewItem.ticket_id.in_(old)),
    )
    counts["messages"] = counts["deliveries"] = counts["tickets"] = 0
    for start in range(0, len(old), 500):
        batch = old[start : start + 500]
        counts["messages"] += await deleted(
            session, delete(Message).where(Message.ticket_id.in_(batch))
        )
        counts["deliveries"] += await deleted(
            session, delete(Delivery).where(Delivery.ticket_id.in_(batch))
        )
        counts["tickets"] += await deleted(session, delete(Ticket).where(Ticket.id.in_(batch)))
    tables = await catalogue_tables(session)
    counts["verification_attempts"] = 0
    if "verification_attempts" in tables:
        result = await session.execute(
            text("DELETE FROM verification_attempts WHERE attempted_at < :cutoff").bindparams(
                bindparam("cutoff", type_=UtcDateTime())
            ),
            {"cutoff": cutoff},
        )
        counts["verification_attempts"] = affected(result)
    counts["registrations_anonymised"] = 0
    if {"registrations", "events"} <= tables:
        result = await session.execute(
            text(
                "UPDATE registrations SET name = '', email = 'registration-' || "
                f"CAST(id AS VARCHAR(12)) || '@{ERASED_DOMAIN}' WHERE email NOT LIKE "
                f"'%@{ERASED_DOMAIN}' AND event_id IN "
                "(SELECT id FROM events WHERE ends_at < :ended)"
            ).bindparams(bindparam("ended", type_=UtcDateTime())),
            {"ended": now - timedelta(days=event_days)},
        )
        counts["registrations_anonymised"] = affected(result)
    await session.flush()
    # Rasa's conversations idle since before the cut-off, unless a colleague still has one.
    idle = await rasa.idle_senders(cutoff.timestamp())
    if idle:
        still_open = set(
            await session.scalars(
                select(Ticket.conversation_id).where(
                    Ticket.status != "resolved", Ticket.conversation_id.in_(sorted(idle))
                )
            )
        )
        idle -= still_open
    counts["rasa_events"] = await rasa.delete(idle)
    counts["rasa_conversations"] = len(idle)
    session.add(PrivacyRun(kind="retention", counts=counts, at=now))
    await session.flush()
    return counts


class RetentionLoop:
    """Runs the retention pass every `interval` seconds (the first one shortly after start)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        engine: AsyncEngine,
        rasa_file: Path,
        days: int,
        event_days: int,
        interval: float,
    ) -> None:
        """Collaborators from the runtime and the retention settings."""
        self._sessions = sessions
        self._engine = engine
        self._rasa_file = rasa_file
        self._days = days
        self._event_days = event_days
        self._interval = interval
        self._task: asyncio.Task[Any] | None = None

    async def run_once(self) -> dict[str, int]:
        """One pass in its own transaction."""
        rasa = RasaTrackerStore.open(self._rasa_file, self._engine)
        try:
            async with self._sessions() as session:
                counts = await run_retention(session, rasa, utc_now(), self._days, self._event_days)
                await session.commit()
                return counts
        finally:
            await rasa.close()

    async def _loop(self) -> None:
        await asyncio.sleep(min(60.0, self._interval))
        while True:
            try:
                counts = await self.run_once()
                log.info("retention pass: %s", counts)
            except Exception:
                log.exception("retention pass failed; next pass in %s s", self._interval)
            await asyncio.sleep(self._interval)

    async def start(self) -> None:
        """Start the loop."""
        self._task = asyncio.create_task(self._loop(), name="privacy-retention")

    async def stop(self) -> None:
        """Stop the loop and wait for it."""
        if self._task is not None:
            await stop_task(self._task)
            self._task = None
