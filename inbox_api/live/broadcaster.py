"""Publish inbox events to every API worker's live subscribers.

With Redis every worker publishes to one channel and relays what it hears to its own
subscribers, so several workers stay in step; without Redis it all stays in this process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any, Protocol

from redis.asyncio import Redis

from inbox_api.background import stop_task

log = logging.getLogger(__name__)
Event = dict[str, Any]
_QUEUE_LIMIT = 1000


class Broadcaster(Protocol):
    """Where inbox events go."""

    async def publish(self, event: Event) -> None:
        """Send an event to every subscriber of every worker."""

    def subscribe(self) -> contextlib.AbstractAsyncContextManager[asyncio.Queue[Event]]:
        """A queue receiving every event published from now on."""

    async def start(self) -> None:
        """Begin relaying."""

    async def stop(self) -> None:
        """Stop relaying."""


class _LocalFanOut:
    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Event]] = set()

    def deliver(self, event: Event) -> None:
        for queue in list(self._queues):
            if queue.full():
                # A stalled browser tab must not hold everyone back; it reloads on reconnect.
                with contextlib.suppress(asyncio.QueueEmpty):
                    queue.get_nowait()
            queue.put_nowait(event)

    @contextlib.asynccontextmanager
    async def subscribe(self) -> AsyncIterator[asyncio.Queue[Event]]:
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=_QUEUE_LIMIT)
        self._queues.add(queue)
        try:
            yield queue
        finally:
            self._queues.discard(queue)


class InProcessBroadcaster(_LocalFanOut):
    """Events stay inside this process (no Redis configured)."""

    async def publish(self, event: Event) -> None:
        """Hand the event to local subscribers."""
        self.deliver(event)

    async def start(self) -> None:
        """Nothing to start."""

    async def stop(self) -> None:
        """Nothing to stop."""


class RedisBroadcaster(_LocalFanOut):
    """Events go through one Redis pub/sub channel shared by every worker."""

    def __init__(self, redis: Redis, channel: str) -> None:
        super().__init__()
        self._redis = redis
        self.channel = channel
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def publish(self, event: Event) -> None:
        """Publish on the Redis channel; local subscribers hear it through the relay."""
        await self._redis.publish(self.channel, json.dumps(event))

    async def start(self) -> None:
        """Subscribe and start relaying to local subscribers."""
        self._task = asyncio.create_task(self._relay(), name="inbox-live-relay")
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def stop(self) -> None:
        """Stop relaying."""
        if self._task is not None:
            await stop_task(self._task)
            self._task = None

    async def _relay(self) -> None:
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    self._ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") != "message":
                            continue
                        try:
                            self.deliver(json.loads(message["data"]))
                        except (ValueError, TypeError):
                            log.warning("ignored a malformed live event on %s", self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live relay lost Redis; reconnecting in 1 s")
                await asyncio.sleep(1)
