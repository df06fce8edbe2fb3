"""A database that is down or too slow: apologise in the customer's language and escalate."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from pathlib import Path

import asyncpg
import pytest

from actions.forms import ValidateReturnStartForm
from actions.orders import ActionOrderStatus
from actions.products import ActionProductPrice
from catalogue.repository import Catalogue
from tests.actions.catalogue_helpers import names, render, run, tracker
from tests.catalogue.factories import empty_tables, migrate, seed_at


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _aiosqlite_threads_stopped() -> None:
    """Let aiosqlite finish stopping the worker of a connection that failed to open.

    aiosqlite (0.22) does not await that stop: its thread later reports to this test's event
    loop, which must still be running then.
    """
    for _ in range(500):  # at most about five seconds
        if not any(
            "_connection_worker_thread" in thread.name and thread.is_alive()
            for thread in threading.enumerate()
        ):
            return
        await asyncio.sleep(0.01)


def _escalates(events: list[dict[str, object]]) -> bool:
    return {"event": "followup", "name": "action_escalate", "timestamp": None} in events


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # action_escalate, which follows, says that a colleague takes over and when.
        ("nl", "Sorry, ik kan dat nu even niet opzoeken in onze winkelgegevens."),
        ("en", "Sorry, I can't look that up in our shop data right now."),
    ],
)
async def test_unreachable_postgres(
    language: str, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/nothing"
    catalogue = Catalogue.from_url(url, timeout_seconds=2)
    try:
        with caplog.at_level(logging.WARNING, logger="actions.catalogue_access"):
            messages, events = await run(
                ActionProductPrice(catalogue, timeout_seconds=2), tracker(language, product="Lina")
            )
    finally:
        await catalogue.dispose()
    assert [render(m, language) for m in messages] == [expected]
    assert _escalates(events)
    assert "catalogue unavailable in action_product_price" in caplog.text
    assert "postgres@" not in caplog.text  # no connection details in the log


async def test_unopenable_sqlite_file(tmp_path: Path) -> None:
    catalogue = Catalogue.from_url(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'x.db'}")
    try:
        messages, events = await run(
            ActionOrderStatus(catalogue),
            tracker("nl", order_number="100234", verification="1012AB"),
        )
    finally:
        await catalogue.dispose()
        await _aiosqlite_threads_stopped()
    assert names(messages) == ["utter_catalogue_unavailable"] and _escalates(events)


async def test_form_validation_with_the_database_down_ends_the_form(tmp_path: Path) -> None:
    catalogue = Catalogue.from_url(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'x.db'}")
    conversation = tracker(
        "en",
        events=[{"event": "slot", "name": "verification", "value": "1012AB", "timestamp": None}],
        active_loop="return_start_form",
        requested_slot="verification",
        order_number="100234",
        verification="1012AB",
    )
    try:
        messages, events = await run(ValidateReturnStartForm(catalogue), conversation)
    finally:
        await catalogue.dispose()
        await _aiosqlite_threads_stopped()
    assert names(messages) == ["utter_catalogue_unavailable"]
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert _escalates(events)


@pytest.mark.postgres
async def test_slow_postgres_counts_as_down(postgres_url: str) -> None:
    await migrate(postgres_url)
    await empty_tables(postgres_url)
    await seed_at(postgres_url)
    # Another session holds the products table: every read of it now waits.
    blocker = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg", "postgresql"))
    blocking = blocker.transaction()
    await blocking.start()
    await blocker.execute("LOCK TABLE products IN ACCESS EXCLUSIVE MODE")
    catalogue = Catalogue.from_url(postgres_url)
    try:
        started = time.monotonic()
        messages, events = await run(
            ActionProductPrice(catalogue, timeout_seconds=0.5), tracker("nl", product="Lina")
        )
        waited = time.monotonic() - started
    finally:
        await blocking.rollback()
        await blocker.close()
        await catalogue.dispose()
    assert names(messages) == ["utter_catalogue_unavailable"] and _escalates(events)
    assert waited < 5  # the customer is not left waiting for the lock


@pytest.mark.postgres
async def test_the_same_action_answers_once_the_database_is_back(postgres_url: str) -> None:
    await migrate(postgres_url)
    await empty_tables(postgres_url)
    await seed_at(postgres_url)
    catalogue = Catalogue.from_url(postgres_url)
    try:
        messages, _ = await run(ActionProductPrice(catalogue), tracker("nl", product="Lina"))
    finally:
        await catalogue.dispose()
    assert render(messages[0], "nl") == "De Lina wikkeljurk kost € 79,95."


class _BrokenCatalogue(Catalogue):
    """A catalogue whose product lookup has a bug (a pure unit-test stand-in)."""

    def __init__(self) -> None:
        pass

    async def find_product(self, name: str, *, strict: bool = True) -> object:  # type: ignore[override]
        raise KeyError(name)


async def test_a_bug_is_logged_without_customer_data_and_escalated(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="actions.catalogue_access"):
        messages, events = await run(
            ActionProductPrice(_BrokenCatalogue()),
            tracker("en", product="sanne.devries@example.nl"),
        )
    assert names(messages) == ["utter_catalogue_unavailable"] and _escalates(events)
    assert "action_product_price failed (KeyError)" in caplog.text
    assert "find_product" in caplog.text  # the frames, to find the bug
    assert "sanne" not in caplog.text
