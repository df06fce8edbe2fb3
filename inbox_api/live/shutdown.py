"""Notice of a coming shutdown, so open live streams end and the server can stop promptly.

uvicorn waits for every open response before it stops, and a live stream never ends by
itself; so the app chains its own handler in front of the server's SIGINT/SIGTERM handlers.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from types import FrameType
from typing import Any

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class ShutdownNotice:
    """An event set when the process is asked to stop."""

    def __init__(self, event: asyncio.Event) -> None:
        self.event = event
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        """Chain in front of the current signal handlers (main thread only; no-op elsewhere)."""
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        for sig in _SIGNALS:
            previous = signal.getsignal(sig)
            if not callable(previous):
                continue  # default or ignored: nobody waits on our streams there

            def handler(signum: int, frame: FrameType | None, previous: Any = previous) -> None:
                loop.call_soon_threadsafe(self.event.set)
                previous(signum, frame)

            self._previous[sig] = previous
            signal.signal(sig, handler)

    def uninstall(self) -> None:
        """Put the previous handlers back."""
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        self._previous.clear()
