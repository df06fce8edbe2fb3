"""Inbox API on PostgreSQL with 100,000 tickets: list and reply throughput and latency.

Loads 100,000 tickets (with messages and SLA deadlines from the real business calendar)
into a scratch database, starts the real API under uvicorn in a separate process, and
drives it over HTTP with concurrent clients. A small in-process HTTP peer stands in for
Rasa so replies are really delivered.

    .venv/bin/python -m benchmarks.inbox_tickets [--tickets 100000] [--requests 1000]

Prints numbers; never fails on a time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
from aiohttp import web

from benchmarks.inbox_common import REDIS_URL, describe, scratch_database
from inbox_api.sla.calendar import BusinessCalendar
from inbox_api.sla.policy import DEFAULT_TARGETS

ROOT = Path(__file__).resolve().parents[1]
SERVICE_TOKEN = "bench-service-token"
PASSWORD = "bench-password-1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _next_deadline(now: datetime, *deadlines: datetime | None) -> datetime | None:
    ahead = [d for d in deadlines if d is not None and d > now]
    return min(ahead) if ahead else None


async def load(url: str, n: int) -> list[int]:
    """Bulk-load n tickets and one customer message each; returns the ids of open ones."""
    cal = BusinessCalendar()
    rng = random.Random(7)
    now = datetime.now(UTC)
    tickets, messages = [], []
    open_ids: list[int] = []
    for i in range(1, n + 1):
        escalated = now - timedelta(seconds=rng.uniform(0, 10 * 86400))
        priority = rng.choices(["urgent", "high", "normal", "low"], [2, 10, 80, 8])[0]
        status = rng.choices(["open", "waiting_on_customer", "resolved"], [70, 10, 20])[0]
        language = "nl" if rng.random() < 0.6 else "en"
        first_due = cal.add_business_time(escalated, DEFAULT_TARGETS.first_response[priority])
        res_due = cal.add_business_time(escalated, DEFAULT_TARGETS.resolution[priority])
        open_ = status != "resolved"
        tickets.append(
            (
                i,
                "socketio",
                f"bench-{i}",
                language,
                "fallback",
                status,
                priority,
                None,
                "[]",
                json.dumps({"transcript": [], "intents": [], "entities": [], "attempted": []}),
                escalated,
                escalated,
                None if open_ else escalated + timedelta(hours=1),
                first_due if open_ else None,
                None,
                res_due if status == "open" else None,
                min(first_due, res_due) if open_ else None,
                # A running inbox has already handled the deadlines that passed: the next
                # check is the next deadline still ahead (none when all have passed).
                _next_deadline(now, first_due, res_due if status == "open" else None)
                if open_
                else None,
            )
        )
        messages.append((i, i, "customer", f"Vraag nummer {i}", escalated, 0))
        if status == "open":
            open_ids.append(i)
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.copy_records_to_table(
            "tickets",
            records=tickets,
            columns=[
                "id",
                "channel",
                "conversation_id",
                "language",
                "reason",
                "status",
                "priority",
                "assignee_id",
                "tags",
                "packet",
                "escalated_at",
                "updated_at",
                "resolved_at",
                "first_response_due_at",
                "next_response_due_at",
                "resolution_due_at",
                "sla_due_at",
                "sla_next_check_at",
            ],
        )
        await conn.copy_records_to_table(
            "ticket_messages",
            records=messages,
            columns=["id", "ticket_id", "role", "text", "created_at", "delivery_attempts"],
        )
        await conn.execute("SELECT setval('tickets_id_seq', $1)", n)
        await conn.execute("SELECT setval('ticket_messages_id_seq', $1)", n)
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return open_ids


async def drive(
    name: str, total: int, concurrency: int, call: Callable[[int], Awaitable[httpx.Response]]
) -> None:
    """Run `total` calls with `concurrency` in flight; print throughput and latency."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def worker() -> None:
        nonlocal errors
        for i in counter:
            started = time.perf_counter()
            response = await call(i)
            latencies.append(time.perf_counter() - started)
            if response.status_code >= 400:
                errors += 1

    wall = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - wall
    print(describe(name, latencies, wall) + (f"  errors={errors}" if errors else ""))


def start_server(url: str, rasa_port: int, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    """Create the bench agent, then start the API under uvicorn in its own process(es).

    Several workers share events and SLA timers through Redis (as in production).
    """
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RASA_URL": f"http://127.0.0.1:{rasa_port}",
        "RASA_TOKEN": "bench",
        "INBOX_SERVICE_TOKEN": SERVICE_TOKEN,
        "INBOX_JWT_SECRET": "bench-jwt-secret-0123456789abcdef",
        "INBOX_NEW_STAFF_PASSWORD": PASSWORD,
        "DELIVERY_SIGNING_SECRET": "bench-delivery-secret-0123456789abcdef",
    }
    env.pop("REDIS_URL", None)
    env.pop("WEB_CONCURRENCY", None)
    if workers > 1:
        env["REDIS_URL"] = REDIS_URL
        env["REDIS_PREFIX"] = f"bench-{uuid.uuid4().hex[:8]}"
    staff = ["--email", "bench@linde.test", "--name", "Bench", "--role", "agent"]
    subprocess.run(
        [sys.executable, "-m", "inbox_api", "create-staff", *staff],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    port = _free_port()
    uvicorn = ["-m", "uvicorn", "--factory", "inbox_api.app:create_app", "--log-level", "warning"]
    server = subprocess.Popen(
        [sys.executable, *uvicorn, "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
    )
    return server, port


async def sse_latency(c: httpx.AsyncClient, h: dict[str, str], count: int) -> None:
    """Escalation sent -> `ticket.created` heard on an agent's live stream (SSE)."""
    heard: dict[int, float] = {}
    ready = asyncio.Event()

    async def listen() -> None:
        async with c.stream("GET", "/api/v1/live/events", headers=h, timeout=None) as stream:
            kind = ""
            async for line in stream.aiter_lines():
                if line.startswith("event: "):
                    kind = line.removeprefix("event: ")
                    if kind == "ready":
                        ready.set()
                elif line.startswith("data: ") and kind == "ticket.created":
                    heard[json.loads(line.removeprefix("data: "))["ticket_id"]] = (
                        time.perf_counter()
                    )

    listener = asyncio.create_task(listen())
    await asyncio.wait_for(ready.wait(), timeout=30)
    svc = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    sent: dict[int, float] = {}
    tag = uuid.uuid4().hex[:6]
    for i in range(count):
        started = time.perf_counter()
        response = await c.post(
            "/api/v1/escalations",
            headers=svc,
            json={
                "channel": "rest",
                "conversation_id": f"sse-{tag}-{i}",
                "language": "en",
                "reason": "fallback",
                "customer_message": "Anyone there?",
            },
        )
        sent[response.json()["ticket_id"]] = started
        await asyncio.sleep(0.02)  # a busy afternoon, not a flood: this measures latency
    for _ in range(100):
        if all(t in heard for t in sent):
            break
        await asyncio.sleep(0.05)
    listener.cancel()
    latencies = [heard[t] - s for t, s in sent.items() if t in heard]
    missing = len(sent) - len(latencies)
    print(
        describe("escalation -> visible over SSE", latencies)
        + (f"  never heard={missing}" if missing else "")
    )


async def bench(port: int, rasa_port: int, open_ids: list[int], requests: int, conc: int) -> None:
    """Drive the running API over HTTP and print what it measured."""
    delivered = 0

    async def trigger(_: web.Request) -> web.Response:
        nonlocal delivered
        delivered += 1
        return web.json_response({})

    rasa = web.Application()
    rasa.router.add_post("/conversations/{cid}/trigger_intent", trigger)
    runner = web.AppRunner(rasa)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", rasa_port).start()
    limits = httpx.Limits(max_connections=conc)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as c:
            # Start-up plans every pending SLA check; give a busy machine two minutes.
            for _ in range(600):
                try:
                    if (await c.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
            credentials = {"email": "bench@linde.test", "password": PASSWORD}
            login = await c.post("/api/v1/auth/login", json=credentials)
            h = {"Authorization": f"Bearer {login.json()['access_token']}"}
            first = (await c.get("/api/v1/tickets", headers=h)).json()
            more = "+" if first["total_capped"] else ""
            print(
                f"queue: {first['total']:,}{more} unresolved tickets, page of {len(first['items'])}"
            )
            random.Random(11).shuffle(open_ids)

            await drive(
                "GET /tickets, one client", 100, 1, lambda i: c.get("/api/v1/tickets", headers=h)
            )
            await drive(
                "GET /tickets (queue, page 1)",
                requests,
                conc,
                lambda i: c.get("/api/v1/tickets", headers=h),
            )
            await drive(
                "GET /tickets?language=nl&priority=high",
                requests,
                conc,
                lambda i: c.get("/api/v1/tickets?language=nl&priority=high", headers=h),
            )
            await drive(
                "GET /tickets (offset 5000)",
                requests // 2,
                conc,
                lambda i: c.get("/api/v1/tickets?offset=5000", headers=h),
            )
            await drive(
                "GET /tickets/{id}",
                requests,
                conc,
                lambda i: c.get(f"/api/v1/tickets/{open_ids[i]}", headers=h),
            )
            replies_started = time.perf_counter()
            await drive(
                "POST /tickets/{id}/replies",
                requests,
                conc,
                lambda i: c.post(
                    f"/api/v1/tickets/{open_ids[i]}/replies",
                    json={"text": f"Antwoord {i}"},
                    headers=h,
                ),
            )
            svc = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
            await drive(
                "POST /escalations (new tickets)",
                requests,
                conc,
                lambda i: c.post(
                    "/api/v1/escalations",
                    headers=svc,
                    json={
                        "channel": "rest",
                        "conversation_id": f"new-{i}",
                        "language": "nl",
                        "reason": "fallback",
                        "customer_message": "Hallo?",
                    },
                ),
            )
            await sse_latency(c, h, 200)
            for _ in range(600):
                if delivered >= requests:
                    break
                await asyncio.sleep(0.1)
            took = time.perf_counter() - replies_started
            print(f"replies delivered to the Rasa peer: {delivered}/{requests} in {took:.1f} s")
    finally:
        await runner.cleanup()


def main() -> None:
    """Load, serve, measure: one worker without Redis, then two workers with Redis."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    for workers in args.workers:
        print(
            f"--- {workers} worker{'s' if workers > 1 else ''}"
            f"{' with Redis' if workers > 1 else ', no Redis'} ---"
        )
        with scratch_database() as url:
            started = time.perf_counter()
            open_ids = asyncio.run(load(url, args.tickets))
            print(f"loaded {args.tickets:,} tickets in {time.perf_counter() - started:.1f} s")
            rasa_port = _free_port()
            server, port = start_server(url, rasa_port, workers)
            try:
                asyncio.run(bench(port, rasa_port, open_ids, args.requests, args.concurrency))
            finally:
                server.terminate()
                server.wait(timeout=30)


if __name__ == "__main__":
    main()
