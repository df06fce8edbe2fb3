"""The hot queries of the inbox use their indexes on PostgreSQL (read from EXPLAIN)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Select, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.sla import repository as sla_repository
from inbox_api.tickets import repository
from inbox_api.tickets.models import Ticket
from kit.database import create_engine, session_factory
from tests.inbox_api.conftest import truncate_inbox

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def empty_pg(pg_inbox_url: str) -> str:
    """The session's PostgreSQL inbox database, emptied."""
    truncate_inbox(pg_inbox_url)
    return pg_inbox_url


@pytest.fixture
async def session(empty_pg: str) -> AsyncIterator[AsyncSession]:
    """A session on a few hundred tickets, with sequential scans priced out of the planner.

    With `enable_seqscan` off the planner still scans the table when no index can answer the
    query, so a plan without an index scan is a missing or unusable index.
    """
    engine = create_engine(empty_pg)
    async with session_factory(engine)() as s:
        s.add_all(
            Ticket(
                channel="socketio",
                conversation_id=f"plan-{n}",
                language="nl" if n % 3 else "en",
                reason="fallback",
                status=("open", "waiting_on_customer", "resolved")[n % 3],
                priority=("normal", "high")[n % 2],
                escalated_at=NOW,
                updated_at=NOW,
                sla_due_at=NOW + timedelta(minutes=n),
                sla_next_check_at=NOW + timedelta(minutes=n),
            )
            for n in range(300)
        )
        await s.commit()
        await s.execute(text("ANALYZE"))
        await s.execute(text("SET enable_seqscan = off"))
        yield s
    await engine.dispose()


async def plan(session: AsyncSession, stmt: Select[Any]) -> str:
    sql = str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))
    rows = await session.execute(text(f"EXPLAIN (FORMAT JSON) {sql}"))
    return json.dumps(rows.scalar_one())


def scanned_tables(explained: str) -> set[str]:
    """Tables read by a sequential scan anywhere in the plan."""
    found: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        if node.get("Node Type") == "Seq Scan":
            found.add(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    for entry in json.loads(explained):
        walk(entry["Plan"])
    return found


async def test_the_queue_page_reads_the_queue_order_index(session: AsyncSession) -> None:
    f = repository.TicketFilter(statuses=["open", "waiting_on_customer"])
    explained = await plan(session, repository.queue_statement(f, 50, 0))
    assert "ix_tickets_queue_order" in explained or "ix_tickets_status_sla_due_at" in explained
    assert scanned_tables(explained) == set()
    # The preview is one index lookup per row, not a scan of every message.
    assert "ix_ticket_messages_ticket_role_id" in explained


async def test_due_sla_checks_read_their_index(session: AsyncSession) -> None:
    stmt = (
        select(Ticket.id)
        .where(Ticket.sla_next_check_at <= NOW)
        .order_by(Ticket.sla_next_check_at)
        .limit(10)
    )
    explained = await plan(session, stmt)
    assert "ix_tickets_sla_next_check_at" in explained
    assert scanned_tables(explained) == set()
    assert await sla_repository.checks_due_before(session, NOW + timedelta(minutes=2), 10) == [
        1,
        2,
        3,
    ]


async def test_a_conversations_open_ticket_is_found_by_index(session: AsyncSession) -> None:
    stmt = (
        select(Ticket)
        .where(
            Ticket.channel == "socketio",
            Ticket.conversation_id == "plan-7",
            Ticket.status != "resolved",
        )
        .limit(1)
    )
    explained = await plan(session, stmt)
    assert "uq_tickets_open_conversation" in explained or "ix_tickets_channel_conversation" in (
        explained
    )
    assert scanned_tables(explained) == set()
