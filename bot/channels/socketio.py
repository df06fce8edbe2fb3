"""Rasa's socket.io channel, shared by every Rasa process through Redis when REDIS_URL is set.

A chat widget keeps its socket on one Rasa process, but an agent's reply may be delivered
through another (the inbox calls whichever process the balancer picks). Rasa's own channel
emits only to sockets of its own process. With `REDIS_URL`, this channel gives the socket.io
server python-socketio's Redis client manager, so an emit on any process reaches the room
(the conversation's session id) wherever its socket is. Without Redis it is Rasa's channel.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint
from socketio import AsyncRedisManager

log = logging.getLogger(__name__)


def redis_channel(prefix: str) -> str:
    """The pub/sub channel of the socket.io processes: under REDIS_PREFIX, like the inbox's."""
    cleaned = re.sub(r"[^A-Za-z0-9_.:-]", "", prefix) or "linde"
    return f"{cleaned}:socketio"


class SocketIOInput(RasaSocketIOInput):
    """`socketio`, with emits shared across Rasa processes through Redis."""

    @classmethod
    def name(cls) -> Text:
        """The same channel name as Rasa's, so trackers and the inbox see `socketio`."""
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's blueprint; its socket.io server gets the Redis manager before any client."""
        blueprint = super().blueprint(on_new_message)
        url = os.environ.get("REDIS_URL", "").strip()
        if url and self.sio is not None:
            channel = redis_channel(os.environ.get("REDIS_PREFIX", "linde"))
            manager = AsyncRedisManager(url, channel=channel)
            # The server initialises its manager on the first connection, so swapping it
            # here, before Sanic serves anything, is the same as passing it to the server.
            self.sio.manager = manager
            manager.set_server(self.sio)
            log.info("socket.io rooms are shared through Redis (channel %s)", channel)
        return blueprint
