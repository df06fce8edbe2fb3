"""Erase and retention on an inbox with many tickets: `python -m benchmarks.privacy_erase`.

Prints the time to find and erase one customer (by conversation and by e-mail, which scans every
message) and of one retention pass that deletes half the tickets. Never gates anything.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from inbox_api.migrate import upgrade_head
from inbox_api.privacy.erasure import erase, subject_for
from inbox_api.privacy.rasa_tracker import RasaTrackerStore
from inbox_api.privacy.retention import run_retention
from inbox_api.tickets.models import Message, Ticket
from kit.database import create_engine, session_factory


async def _fill(url: str, tickets: int) -> None:
    engine = create_engine(url)
    now = datetime.now(UTC)
    old = now - timedelta(days=400)
    try:
        async with session_factory(engine)() as session:
            rows = [
                {
                    "id": i,
                    "channel": "rest",
                    "conversation_id": f"c{i}",
                    "language": "nl",
                    "reason": "fallback",
                    "status": "resolved",
                    "priority": "normal",
                    "tags": [],
                    "packet": {"transcript": [{"role": "customer", "text": f"hoi {i}"}]},
                    "escalated_at": old,
                    "updated_at": old,
                    # Half resolved long ago (retention takes them), half today.
                    "resolved_at": old if i % 2 else now,
                }
                for i in range(1, tickets + 1)
            ]
            await session.execute(insert(Ticket), rows)
            messages = [
                {
                    "ticket_id": i,
                    "role": "customer",
                    "text": f"vraag {j} van klant{i}@example.nl",
                    "created_at": old,
                    "delivery_attempts": 0,
                }
                for i in range(1, tickets + 1)
                for j in range(3)
            ]
            await session.execute(insert(Message), messages)
            await session.commit()
    finally:
        await engine.dispose()


async def _measure(url: str, tickets: int, tracker: Path) -> None:
    engine = create_engine(url)
    rasa = RasaTrackerStore.open(tracker, engine)
    now = datetime.now(UTC)
    try:
        for label, kwargs in (
            ("erase --conversation", {"conversation": "rest:c2"}),
            ("erase --email", {"email": "klant4@example.nl"}),
        ):
            started = time.perf_counter()
            async with session_factory(engine)() as session:
                counts = await erase(session, rasa, await subject_for(session, rasa, **kwargs), now)
                await session.commit()
            took = time.perf_counter() - started
            print(f"{label:22} {took * 1000:8.1f} ms  {counts}")
        started = time.perf_counter()
        async with session_factory(engine)() as session:
            counts = await run_retention(session, rasa, now, days=180, event_days=14)
            await session.commit()
        took = time.perf_counter() - started
        print(f"{'retention pass':22} {took * 1000:8.1f} ms  {counts}")
    finally:
        await rasa.close()
        await engine.dispose()


def main() -> None:
    """Fill a fresh database (SQLite unless --database-url) and time erase and retention."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="an empty database (PostgreSQL)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(work) / 'bench.db'}"
        upgrade_head(url)
        asyncio.run(_fill(url, args.tickets))
        print(f"{args.tickets} tickets, {args.tickets * 3} messages ({url.split(':')[0]})")
        asyncio.run(_measure(url, args.tickets, Path(work) / "rasa_tracker.db"))


if __name__ == "__main__":
    main()
