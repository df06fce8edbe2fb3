"""Server-sent events for the staff page (fed by Redis pub/sub when configured)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from inbox_api.deps import RuntimeDep, TicketWorker
from inbox_api.runtime import Runtime
from inbox_api.staff.models import Staff
from inbox_api.staff.security import TokenClaims
from kit.clock import utc_now

router = APIRouter(prefix="/api/v1/live", tags=["live"])
HEARTBEAT_SECONDS = 15.0
# How often a quiet stream checks for shutdown, a vanished client and an expired token.
_TICK_SECONDS = 1.0


async def token_still_valid(runtime: Runtime, claims: TokenClaims) -> bool:
    """Whether the account is still on and the token's version still current."""
    async with runtime.sessions() as session:
        row = (
            await session.execute(
                select(Staff.active, Staff.token_version).where(Staff.id == claims.staff_id)
            )
        ).first()
    return row is not None and row.active and row.token_version == claims.version


def _ended(reason: str) -> str:
    return f"event: session_ended\ndata: {json.dumps({'reason': reason})}\n\n"


@router.get("/events", response_class=StreamingResponse)
async def events(request: Request, runtime: RuntimeDep, _: TicketWorker) -> StreamingResponse:
    """A text/event-stream of ticket, delivery and SLA events (read it with fetch + Bearer).

    The stream ends with a `session_ended` event when its token expires or is revoked.
    """
    broadcaster = runtime.broadcaster
    claims: TokenClaims | None = getattr(request.state, "token_claims", None)
    recheck = runtime.settings.token_recheck_seconds
    loop = asyncio.get_running_loop()

    async def stream() -> AsyncIterator[str]:
        async with broadcaster.subscribe() as queue:
            yield "event: ready\ndata: {}\n\n"
            quiet = 0.0
            next_check = loop.time() + recheck
            while not runtime.stopping.is_set() and not await request.is_disconnected():
                # (No claims only when a test stands in for the staff dependency.)
                if claims is not None:
                    if utc_now() >= claims.expires_at:
                        yield _ended("expired")
                        return
                    if loop.time() >= next_check:
                        next_check = loop.time() + recheck
                        if not await token_still_valid(runtime, claims):
                            yield _ended("revoked")
                            return
                try:
                    event = await asyncio.wait_for(queue.get(), timeout=_TICK_SECONDS)
                except TimeoutError:
                    quiet += _TICK_SECONDS
                    if quiet >= HEARTBEAT_SECONDS:
                        quiet = 0.0
                        yield ": heartbeat\n\n"
                    continue
                kind = str(event.get("type", "message"))
                if kind == "staff.revoked":
                    # Internal: whose tokens ended is nobody else's business.
                    if claims is not None and event.get("staff_id") == claims.staff_id:
                        next_check = loop.time()
                    continue
                recipient = event.get("for_staff_id")
                if recipient is not None and (claims is None or recipient != claims.staff_id):
                    continue  # someone else's notification
                quiet = 0.0
                yield f"event: {kind}\ndata: {json.dumps(event)}\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
