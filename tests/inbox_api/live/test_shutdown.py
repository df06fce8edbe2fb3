"""A stop signal reaches the live streams before the server's own handler runs."""

from __future__ import annotations

import asyncio
import signal
from types import FrameType

from inbox_api.live.shutdown import ShutdownNotice


async def test_stop_signal_sets_the_event_and_chains_the_previous_handler() -> None:
    seen: list[int] = []

    def server_handler(signum: int, frame: FrameType | None) -> None:
        seen.append(signum)

    original = signal.signal(signal.SIGINT, server_handler)
    try:
        event = asyncio.Event()
        notice = ShutdownNotice(event)
        notice.install()
        signal.raise_signal(signal.SIGINT)
        await asyncio.wait_for(event.wait(), timeout=2)
        assert seen == [signal.SIGINT]
        notice.uninstall()
        assert signal.getsignal(signal.SIGINT) is server_handler
    finally:
        signal.signal(signal.SIGINT, original)
