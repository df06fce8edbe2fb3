"""Server-sent events for the staff page (fed by Redis pub/sub when configured)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from inbox_api.deps import RuntimeDep, TicketWorker

router = APIRouter(prefix="/api/v1/live", tags=["live"])
HEARTBEAT_SECONDS = 15.0
# How often a quiet stream checks for shutdown and a vanished client.
_TICK_SECONDS = 1.0


@router.get("/events", response_class=StreamingResponse)
async def events(request: Request, runtime: RuntimeDep, _: TicketWorker) -> StreamingResponse:
    """A text/event-stream of ticket, delivery and SLA events (read it with fetch + Bearer)."""
    broadcaster = runtime.broadcaster

    async def stream() -> AsyncIterator[str]:
        async with broadcaster.subscribe() as queue:
            yield "event: ready\ndata: {}\n\n"
            quiet = 0.0
            while not runtime.stopping.is_set() and not await request.is_disconnected():
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=_TICK_SECONDS)
                except TimeoutError:
                    quiet += _TICK_SECONDS
                    if quiet >= HEARTBEAT_SECONDS:
                        quiet = 0.0
                        yield ": heartbeat\n\n"
                    continue
                quiet = 0.0
                kind = str(event.get("type", "message"))
                yield f"event: {kind}\ndata: {json.dumps(event)}\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
