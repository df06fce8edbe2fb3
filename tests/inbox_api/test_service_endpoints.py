"""Health, metrics, OpenAPI and ticket edits."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from urllib.parse import urlsplit

from tests.inbox_api.conftest import Inbox, RasaPeer, make_settings, start_inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation


async def test_healthz_metrics_and_openapi(inbox: Inbox, service_headers: dict[str, str]) -> None:
    health = await inbox.client.get("/healthz")
    assert health.status_code == 200 and health.json() == {"status": "ok", "database": "ok"}
    await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    metrics = await inbox.client.get("/metrics")
    assert 'inbox_escalations_total{language="nl",outcome="created"} 1.0' in metrics.text
    assert 'inbox_http_request_seconds_count{method="POST",route="/api/v1/escalations"} 1.0' in (
        metrics.text
    )
    spec = (await inbox.client.get("/openapi.json")).json()
    for path in [
        "/api/v1/escalations",
        "/api/v1/tickets",
        "/api/v1/tickets/{ticket_id}",
        "/api/v1/tickets/{ticket_id}/claim",
        "/api/v1/tickets/{ticket_id}/replies",
        "/api/v1/tickets/{ticket_id}/notes",
        "/api/v1/tickets/{ticket_id}/status",
        "/api/v1/sla/report",
        "/healthz",
        "/metrics",
    ]:
        assert path in spec["paths"], path
    assert spec["paths"]["/api/v1/tickets"]["get"]["description"]


class CuttableLink:
    """A TCP relay to a real server that the test cuts, as a network failure would."""

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 6379
        self.server: asyncio.Server | None = None
        self.writers: list[asyncio.StreamWriter] = []

    async def start(self) -> int:
        self.server = await asyncio.start_server(self._relay, "127.0.0.1", 0)
        return int(self.server.sockets[0].getsockname()[1])

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(self.host, self.port)
        self.writers += [writer, upstream_writer]

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, OSError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.writers:
            writer.close()
        await self.server.wait_closed()


async def test_healthz_names_the_dependency_that_is_down(
    database_url: str, rasa_peer: RasaPeer, redis_url: str, redis_prefix: str
) -> None:
    link = CuttableLink(redis_url)
    port = await link.start()
    settings = make_settings(
        database_url, rasa_peer.url, redis_url=f"redis://127.0.0.1:{port}/0",
        redis_prefix=redis_prefix, run_workers=False,
    )
    running, lifespan = await start_inbox(settings)
    try:
        up = await running.client.get("/healthz")
        assert (up.status_code, up.json()) == (
            200, {"status": "ok", "database": "ok", "redis": "ok"}
        )
        await link.cut()
        down = await running.client.get("/healthz")
        assert down.status_code == 503
        body = down.json()
        # Redis is named; the database still answers.
        assert (body["status"], body["database"]) == ("degraded", "ok")
        assert body["redis"].startswith("error: "), body
    finally:
        await running.client.aclose()
        with contextlib.suppress(Exception):
            await lifespan.__aexit__(None, None, None)


async def test_priority_change_moves_the_deadlines(
    inbox: Inbox, service_headers: dict[str, str]
) -> None:
    ticket_id = (
        await inbox.client.post("/api/v1/escalations", json=escalation(), headers=service_headers)
    ).json()["ticket_id"]
    staff = await agent_headers(inbox.runtime, inbox.client)
    before = (await inbox.client.get(f"/api/v1/tickets/{ticket_id}", headers=staff)).json()
    after = await inbox.client.patch(
        f"/api/v1/tickets/{ticket_id}",
        json={"priority": "urgent", "tags": [" levering ", "levering"]},
        headers=staff,
    )
    assert after.status_code == 200
    body = after.json()
    assert body["priority"] == "urgent" and body["tags"] == ["levering"]
    old_due = datetime.fromisoformat(before["sla"]["first_response_due_at"])
    new_due = datetime.fromisoformat(body["sla"]["first_response_due_at"])
    assert new_due < old_due
    assert body["sla_due_at"] == body["sla"]["first_response_due_at"]
    # Timestamps carry the Amsterdam offset.
    assert body["escalated_at"][-6:] in ("+01:00", "+02:00")
    bad = await inbox.client.patch(
        f"/api/v1/tickets/{ticket_id}", json={"priority": "asap"}, headers=staff
    )
    assert bad.status_code == 422 and "priority" in bad.json()["detail"]
