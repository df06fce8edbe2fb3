"""Delivers outbox rows through Rasa: in order per conversation, retried with backoff.

Several API workers may run this loop against one database: a row is leased with a
conditional UPDATE before sending, and a conversation's next row waits until the one
before it is delivered, so replies arrive once each and in the order they were written.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from inbox_api.background import stop_task
from inbox_api.delivery.models import OUTSTANDING, Delivery
from inbox_api.delivery.rasa import DeliveryFailed, RasaClient
from inbox_api.delivery.service import trigger
from inbox_api.runtime import Runtime
from inbox_api.tickets.models import Message
from kit.clock import utc_now

log = logging.getLogger(__name__)
_LEASE = timedelta(seconds=60)
_BATCH = 50
_CONCURRENCY = 8


def backoff(attempts: int, cap_seconds: float) -> timedelta:
    """Wait after the n-th failed attempt: 1 s, 2 s, 4 s, ... up to the cap."""
    return timedelta(seconds=min(cap_seconds, 2 ** max(0, attempts - 1)))


class DeliveryWorker:
    """The loop that empties the outbox."""

    def __init__(self, runtime: Runtime, rasa: RasaClient) -> None:
        self._runtime = runtime
        self._rasa = rasa
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Look at the outbox now rather than at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        """Start the loop."""
        self._task = asyncio.create_task(self._loop(), name="inbox-delivery")

    async def stop(self) -> None:
        """Stop the loop and close the Rasa client."""
        if self._task is not None:
            await stop_task(self._task)
            self._task = None
        await self._rasa.close()

    async def _loop(self) -> None:
        poll = self._runtime.settings.delivery_poll_seconds
        while True:
            self._wake.clear()
            try:
                busy = await self.run_once(utc_now())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("delivery pass failed; retrying")
                busy = 0
            if busy:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=poll)

    async def run_once(self, now: datetime) -> int:
        """Deliver what is due now; returns how many rows were attempted."""
        heads = await self._due_heads(now)
        if not heads:
            return 0
        limit = asyncio.Semaphore(_CONCURRENCY)

        async def one(delivery_id: int) -> None:
            async with limit:
                await self._attempt(delivery_id)

        await asyncio.gather(*(one(i) for i in heads))
        return len(heads)

    async def _due_heads(self, now: datetime) -> list[int]:
        async with self._runtime.sessions() as session:
            first = (
                select(func.min(Delivery.id))
                .where(Delivery.state.in_(OUTSTANDING))
                .group_by(Delivery.conversation_id)
            )
            rows = await session.scalars(
                select(Delivery.id)
                .where(
                    Delivery.id.in_(first),
                    Delivery.next_attempt_at <= now,
                    (Delivery.lease_until.is_(None)) | (Delivery.lease_until < now),
                )
                .order_by(Delivery.id)
                .limit(_BATCH)
            )
            return list(rows)

    async def _attempt(self, delivery_id: int) -> None:
        now = utc_now()
        async with self._runtime.sessions() as session:
            claimed = await session.execute(
                update(Delivery)
                .where(
                    Delivery.id == delivery_id,
                    Delivery.state.in_(OUTSTANDING),
                    (Delivery.lease_until.is_(None)) | (Delivery.lease_until < now),
                )
                .values(lease_until=now + _LEASE)
            )
            await session.commit()
            if claimed.rowcount != 1:  # type: ignore[attr-defined]
                return  # another worker has it
            job = await session.get(Delivery, delivery_id)
            assert job is not None
            error: DeliveryFailed | None = None
            secret = self._runtime.settings.delivery_signing_secret
            try:
                if not secret:
                    # Unsigned, the action server would drop it while we call it delivered.
                    raise DeliveryFailed("no delivery signing secret is configured")
                intent, entities = trigger(job, secret)
                await self._rasa.trigger_intent(job.conversation_id, intent, entities)
            except DeliveryFailed as exc:
                error = exc
            await self._record(session, job, error)

    async def _record(self, session: Any, job: Delivery, error: DeliveryFailed | None) -> None:
        now = utc_now()
        attempts = job.attempts + 1
        settings = self._runtime.settings
        if error is None:
            values: dict[str, Any] = {
                "state": "delivered",
                "delivered_at": now,
                "attempts": attempts,
                "lease_until": None,
                "last_error": None,
            }
            message_values: dict[str, Any] = {
                "delivery_state": "delivered",
                "delivered_at": now,
                "delivery_attempts": attempts,
                "delivery_error": None,
            }
        elif error.permanent:
            values = {
                "state": "failed",
                "attempts": attempts,
                "lease_until": None,
                "last_error": str(error),
            }
            message_values = {
                "delivery_state": "failed",
                "delivery_attempts": attempts,
                "delivery_error": str(error),
            }
            log.warning("delivery %s refused (%s); marked failed, not retried", job.id, error)
        else:
            wait = backoff(attempts, settings.delivery_max_backoff_seconds)
            values = {
                "state": "retrying",
                "attempts": attempts,
                "next_attempt_at": now + wait,
                "lease_until": None,
                "last_error": str(error),
            }
            message_values = {
                "delivery_state": "retrying",
                "delivery_attempts": attempts,
                "delivery_error": f"{error}; next try in {int(wait.total_seconds())} s",
            }
            log.warning("delivery %s to Rasa failed (%s); attempt %s", job.id, error, attempts)
        await session.execute(update(Delivery).where(Delivery.id == job.id).values(**values))
        if job.message_id is not None:
            await session.execute(
                update(Message).where(Message.id == job.message_id).values(**message_values)
            )
        await session.commit()
        self._runtime.metrics.deliveries.labels(job.kind, "ok" if error is None else "error").inc()
        await self._runtime.broadcaster.publish(
            {
                "type": "delivery",
                "ticket_id": job.ticket_id,
                "message_id": job.message_id,
                "kind": job.kind,
                "state": values["state"],
            }
        )
        if error is None or error.permanent:
            self.wake()  # the conversation's next reply may now go
