"""What the connectors remember across processes: deliveries seen, last customer message, statuses.

Meta retries a webhook delivery until it gets a 200 and several Rasa processes may sit behind
one URL, so "seen" must be shared: Redis when `CHANNELS_REDIS_URL` (or `REDIS_URL`) is set,
otherwise one SQLite file (`CHANNELS_STORE_PATH`), which is shared by processes on one machine
only. Several machines without Redis would each process a retried delivery once.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, List, Optional, Protocol

# Meta retries webhooks for up to 7 days (WhatsApp); keep "seen" a day longer.
SEEN_FOR = timedelta(days=8)


class ChannelStore(Protocol):
    async def claim(self, key: str, now: datetime) -> bool:
        """True the first time a delivery key is claimed; False for a duplicate."""

    async def record_inbound(self, channel: str, sender: str, at: datetime) -> None:
        """Remember the customer's latest message time (the window starts there)."""

    async def last_inbound(self, channel: str, sender: str) -> Optional[datetime]:
        """The customer's latest message time, if any."""

    async def record_status(
        self, message_id: str, status: str, at: datetime, errors: List[Dict[str, Any]]
    ) -> None:
        """Remember a WhatsApp delivery status (sent, delivered, read, failed)."""

    async def status(self, message_id: str) -> Optional[Dict[str, Any]]:
        """The latest recorded status of a sent message."""

    async def remember(self, key: str, value: Dict[str, Any], ttl: timedelta) -> None:
        """Keep a small JSON value for `ttl` (profiles, posts, a reply's inbox delivery)."""

    async def recall(self, key: str) -> Optional[Dict[str, Any]]:
        """A remembered value that has not expired, if any."""


_SCHEMA = """
CREATE TABLE IF NOT EXISTS seen (key TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS inbound (
    channel TEXT NOT NULL, sender TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (channel, sender));
CREATE TABLE IF NOT EXISTS status (
    message_id TEXT PRIMARY KEY, status TEXT NOT NULL, at REAL NOT NULL, errors TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS memo (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires REAL NOT NULL);
"""

# A status that arrives late never overwrites a later one (Meta does not order callbacks).
_STATUS_RANK = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}


class SqliteChannelStore:
    """One SQLite file; a PRIMARY KEY insert decides which process claims a delivery."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        return connection

    def _run(self, sql: str, params: tuple) -> List[tuple]:
        connection = self._connect()
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()

    async def claim(self, key: str, now: datetime) -> bool:
        def run() -> bool:
            connection = self._connect()
            try:
                connection.execute("DELETE FROM seen WHERE at < ?",
                                   ((now - SEEN_FOR).timestamp(),))
                cursor = connection.execute(
                    "INSERT OR IGNORE INTO seen (key, at) VALUES (?, ?)", (key, now.timestamp())
                )
                return cursor.rowcount == 1
            finally:
                connection.close()

        return await asyncio.to_thread(run)

    async def record_inbound(self, channel: str, sender: str, at: datetime) -> None:
        await asyncio.to_thread(
            self._run,
            "INSERT INTO inbound (channel, sender, at) VALUES (?, ?, ?) "
            "ON CONFLICT (channel, sender) DO UPDATE SET at = max(at, excluded.at)",
            (channel, sender, at.timestamp()),
        )

    async def last_inbound(self, channel: str, sender: str) -> Optional[datetime]:
        rows = await asyncio.to_thread(
            self._run, "SELECT at FROM inbound WHERE channel = ? AND sender = ?", (channel, sender)
        )
        return datetime.fromtimestamp(rows[0][0], tz=timezone.utc) if rows else None

    async def record_status(
        self, message_id: str, status: str, at: datetime, errors: List[Dict[str, Any]]
    ) -> None:
        current = await self.status(message_id)
        if current and _STATUS_RANK.get(current["status"], 0) > _STATUS_RANK.get(status, 0):
            return
        await asyncio.to_thread(
            self._run,
            "INSERT INTO status (message_id, status, at, errors) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (message_id) DO UPDATE SET status = excluded.status, at = excluded.at, "
            "errors = excluded.errors",
            (message_id, status, at.timestamp(), json.dumps(errors)),
        )

    async def status(self, message_id: str) -> Optional[Dict[str, Any]]:
        rows = await asyncio.to_thread(
            self._run, "SELECT status, at, errors FROM status WHERE message_id = ?", (message_id,)
        )
        if not rows:
            return None
        status, at, errors = rows[0]
        return {"status": status, "at": datetime.fromtimestamp(at, tz=timezone.utc),
                "errors": json.loads(errors)}

    async def remember(self, key: str, value: Dict[str, Any], ttl: timedelta) -> None:
        expires = (datetime.now(timezone.utc) + ttl).timestamp()
        await asyncio.to_thread(
            self._run,
            "INSERT INTO memo (key, value, expires) VALUES (?, ?, ?) ON CONFLICT (key) "
            "DO UPDATE SET value = excluded.value, expires = excluded.expires",
            (key, json.dumps(value), expires),
        )

    async def recall(self, key: str) -> Optional[Dict[str, Any]]:
        rows = await asyncio.to_thread(
            self._run, "SELECT value FROM memo WHERE key = ? AND expires > ?",
            (key, datetime.now(timezone.utc).timestamp()),
        )
        return json.loads(rows[0][0]) if rows else None  # type: ignore[no-any-return]


class RedisChannelStore:
    """Redis: `SET NX` claims a delivery for every process and machine that shares the server."""

    def __init__(self, url: str, prefix: str) -> None:
        from redis.asyncio import Redis

        self.redis = Redis.from_url(url)
        self.prefix = f"{prefix}:channels"

    async def claim(self, key: str, now: datetime) -> bool:
        created = await self.redis.set(
            f"{self.prefix}:seen:{key}", str(now.timestamp()), nx=True,
            ex=int(SEEN_FOR.total_seconds()),
        )
        return bool(created)

    async def record_inbound(self, channel: str, sender: str, at: datetime) -> None:
        key = f"{self.prefix}:inbound:{channel}:{sender}"
        current = await self.redis.get(key)
        if current is not None and float(current) >= at.timestamp():
            return
        await self.redis.set(key, str(at.timestamp()), ex=int(SEEN_FOR.total_seconds()))

    async def last_inbound(self, channel: str, sender: str) -> Optional[datetime]:
        value = await self.redis.get(f"{self.prefix}:inbound:{channel}:{sender}")
        return datetime.fromtimestamp(float(value), tz=timezone.utc) if value else None

    async def record_status(
        self, message_id: str, status: str, at: datetime, errors: List[Dict[str, Any]]
    ) -> None:
        current = await self.status(message_id)
        if current and _STATUS_RANK.get(current["status"], 0) > _STATUS_RANK.get(status, 0):
            return
        await self.redis.set(
            f"{self.prefix}:status:{message_id}",
            json.dumps({"status": status, "at": at.timestamp(), "errors": errors}),
            ex=int(SEEN_FOR.total_seconds()),
        )

    async def status(self, message_id: str) -> Optional[Dict[str, Any]]:
        value = await self.redis.get(f"{self.prefix}:status:{message_id}")
        if not value:
            return None
        data = json.loads(value)
        data["at"] = datetime.fromtimestamp(data["at"], tz=timezone.utc)
        return data  # type: ignore[no-any-return]

    async def remember(self, key: str, value: Dict[str, Any], ttl: timedelta) -> None:
        await self.redis.set(f"{self.prefix}:memo:{key}", json.dumps(value),
                             ex=max(1, int(ttl.total_seconds())))

    async def recall(self, key: str) -> Optional[Dict[str, Any]]:
        value = await self.redis.get(f"{self.prefix}:memo:{key}")
        return json.loads(value) if value else None  # type: ignore[no-any-return]

    async def close(self) -> None:
        await self.redis.aclose() if hasattr(self.redis, "aclose") else await self.redis.close()
