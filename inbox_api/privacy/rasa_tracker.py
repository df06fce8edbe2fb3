"""Rasa's tracker store, read and pruned by the inbox (Rasa's own table, plain SQL).

Where Rasa keeps conversations follows scripts/rasa_endpoints.py: in the inbox's PostgreSQL
database under schema `rasa` when DATABASE_URL is PostgreSQL, else its own SQLite file
(RASA_TRACKER_DB). Rasa creates the table `events` (sender_id, type_name, timestamp, data, ...)
on its first start; before that there is nothing to read or delete.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.ext.asyncio import AsyncEngine

from kit.database import create_engine

RASA_SCHEMA = "rasa"


@dataclass
class RasaTrackerStore:
    """The conversations Rasa stored; every method answers "nothing" while the table is absent."""

    engine: AsyncEngine
    table: str
    owns_engine: bool
    # The SQLite file; None on PostgreSQL. Never created here (connecting would create it).
    sqlite_file: Path | None = None

    @classmethod
    def open(cls, sqlite_file: Path, inbox_engine: AsyncEngine) -> RasaTrackerStore:
        """The store next to this inbox database (its engine is reused on PostgreSQL)."""
        if inbox_engine.dialect.name == "postgresql":
            return cls(inbox_engine, f"{RASA_SCHEMA}.events", owns_engine=False)
        engine = create_engine(f"sqlite+aiosqlite:///{sqlite_file.resolve()}")
        return cls(engine, "events", owns_engine=True, sqlite_file=sqlite_file)

    async def close(self) -> None:
        """Release the SQLite file's engine (the PostgreSQL engine belongs to the inbox)."""
        if self.owns_engine:
            await self.engine.dispose()

    async def _exists(self) -> bool:
        if self.sqlite_file is not None and not self.sqlite_file.is_file():
            return False
        async with self.engine.connect() as conn:
            if self.engine.dialect.name == "postgresql":
                found = await conn.scalar(text("SELECT to_regclass(:name)"), {"name": self.table})
            else:
                found = await conn.scalar(
                    text("SELECT name FROM sqlite_master WHERE type='table' AND name=:name"),
                    {"name": self.table},
                )
            return found is not None

    async def events(self, senders: Iterable[str]) -> list[dict[str, Any]]:
        """Every stored event of these conversations, oldest first, with its data parsed."""
        wanted = sorted(set(senders))
        if not wanted or not await self._exists():
            return []
        statement = text(
            f"SELECT sender_id, type_name, timestamp, data FROM {self.table} "
            "WHERE sender_id IN :senders ORDER BY sender_id, id"
        ).bindparams(bindparam("senders", expanding=True))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(statement, {"senders": wanted})).all()
        return [
            {"sender_id": r[0], "type": r[1], "timestamp": r[2], "data": _parsed(r[3])}
            for r in rows
        ]

    async def senders_mentioning(
        self, needle: str, confirm: Callable[[str], bool] = lambda data: True
    ) -> set[str]:
        """Conversations with an event containing `needle` (case-insensitive) that `confirm`s."""
        if not needle or not await self._exists():
            return set()
        escaped = needle.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = text(
            f"SELECT sender_id, data FROM {self.table} WHERE lower(data) LIKE :p ESCAPE '\\'"
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(statement, {"p": f"%{escaped}%"})).all()
        return {sender for sender, data in rows if confirm(str(data))}

    async def idle_senders(self, before: float) -> set[str]:
        """Conversations whose latest event is older than `before` (a Unix timestamp)."""
        if not await self._exists():
            return set()
        statement = text(
            f"SELECT sender_id FROM {self.table} GROUP BY sender_id HAVING max(timestamp) < :t"
        )
        async with self.engine.connect() as conn:
            return {row[0] for row in await conn.execute(statement, {"t": before})}

    async def delete(self, senders: Iterable[str]) -> int:
        """Delete every event of these conversations; the number of events deleted."""
        wanted = sorted(set(senders))
        if not wanted or not await self._exists():
            return 0
        statement = text(f"DELETE FROM {self.table} WHERE sender_id IN :senders").bindparams(
            bindparam("senders", expanding=True)
        )
        async with self.engine.begin() as conn:
            result = await conn.execute(statement, {"senders": wanted})
            return int(result.rowcount or 0)


def _parsed(data: object) -> object:
    if isinstance(data, str):
        try:
            return json.loads(data)
        except ValueError:
            return data
    return data
