"""SLA checks survive Redis: an outage during escalations loses no warning or breach."""

from __future__ import annotations

import asyncio
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import select

from inbox_api.sla.models import SlaEvent
from tests.inbox_api.conftest import RasaPeer, start_inbox
from tests.inbox_api.sla.test_sla_events import fast_settings, wait_until
from tests.inbox_api.tickets.factories import escalation

RECONCILE = 1.0
# Room for the reconcile grace (0.1 s) and the checks themselves on a busy two-core machine.
SLACK = 1.0
# First response in three seconds (warning at 2.4 s): both fall inside the outage.
BUDGET = {"urgent": 3 / 60, "high": 3 / 60, "normal": 3 / 60, "low": 3 / 60}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class PrivateRedis:
    """A redis-server of this test alone (stopping the shared one would disturb other tests)."""

    port: int
    workdir: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Its address."""
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start it empty (no persistence: a restart forgets every plan)."""
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        """Kill it."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    async def ready(self) -> None:
        """Until it answers PING."""
        client = Redis.from_url(self.url)
        try:
            async with asyncio.timeout(10):
                while True:
                    try:
                        if await client.ping():
                            return
                    except OSError:
                        pass
                    except Exception:  # redis' ConnectionError while it boots
                        pass
                    await asyncio.sleep(0.05)
        finally:
            await client.aclose()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    """A redis-server on a free port, killed afterwards."""
    server = PrivateRedis(_free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.redis
async def test_redis_outage_during_escalations_loses_no_warning_or_breach(
    database_url: str,
    rasa_peer: RasaPeer,
    private_redis: PrivateRedis,
    service_headers: dict[str, str],
) -> None:
    await private_redis.ready()
    inbox, lifespan = await start_inbox(
        fast_settings(
            database_url,
            rasa_peer.url,
            redis_url=private_redis.url,
            sla_reconcile_seconds=RECONCILE,
        ).model_copy(update={"first_response_minutes": BUDGET})
    )
    try:
        ids: list[int] = []
        for n in range(2):
            created = await inbox.client.post(
                "/api/v1/escalations", json=escalation(f"before-{n}"), headers=service_headers
            )
            assert created.status_code == 201
            ids.append(created.json()["ticket_id"])
        # Redis dies; escalations keep coming and are still taken.
        private_redis.stop()
        for n in range(3):
            created = await inbox.client.post(
                "/api/v1/escalations", json=escalation(f"during-{n}"), headers=service_headers
            )
            assert created.status_code == 201, created.text
            ids.append(created.json()["ticket_id"])
        # Every warning (2.4 s) and breach (3 s) falls inside the outage.
        await asyncio.sleep(4)
        # Redis comes back empty: whatever it held is gone.
        private_redis.start()
        await private_redis.ready()

        async def all_fired() -> bool:
            async with inbox.runtime.sessions() as session:
                count = len((await session.scalars(select(SlaEvent))).all())
            return count >= 2 * len(ids)

        await wait_until(all_fired, within=15)
        await asyncio.sleep(3 * RECONCILE)  # time for a duplicate to show up, if any
        async with inbox.runtime.sessions() as session:
            events = list((await session.scalars(select(SlaEvent).order_by(SlaEvent.id))).all())
    finally:
        await inbox.client.aclose()
        await lifespan.__aexit__(None, None, None)

    fired = sorted((e.ticket_id, e.metric, e.kind) for e in events)
    assert fired == sorted(
        (i, "first_response", kind) for i in ids for kind in ("warning", "breach")
    )
    late = {(e.ticket_id, e.kind): e.emitted_at - e.due_at for e in events}
    limit = timedelta(seconds=RECONCILE + SLACK)
    assert all(timedelta(0) <= d <= limit for d in late.values()), sorted(
        (k, d.total_seconds()) for k, d in late.items()
    )
