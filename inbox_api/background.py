"""Stopping the inbox's background loops (scheduler, reconcile, delivery, live relay)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any


async def stop_task(task: asyncio.Task[Any]) -> None:
    """Cancel `task` and wait until it has ended.

    redis-py can swallow a cancellation that lands inside a command (the loop then goes on as if
    nothing happened), so the cancellation is repeated until the task is really done.
    """
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.5)
    with contextlib.suppress(asyncio.CancelledError):
        await task
