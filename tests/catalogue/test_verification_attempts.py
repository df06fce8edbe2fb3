"""Order verification cannot be brute-forced: failed tries are kept per order and per customer."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from catalogue.models import VerificationAttempt
from catalogue.repository import Catalogue
from catalogue.verification import AttemptLimits, Verification, locked_until
from tests.catalogue.factories import NOW

LIMITS = AttemptLimits(window=timedelta(hours=1), per_order=5, per_customer=3)
RIGHT = Verification("postcode", "1012AB")  # order 100234 in the seed
WRONG = Verification("postcode", "9999ZZ")


def customer() -> str:
    return f"socketio:{uuid.uuid4().hex}"


def at(catalogue: Catalogue, now: datetime) -> Catalogue:
    """The same database seen at another instant."""
    return Catalogue(catalogue.sessions, clock=lambda: now, attempt_limits=LIMITS)


@contextmanager
def statements(catalogue: Catalogue) -> Iterator[list[str]]:
    """The SQL statements the catalogue sends while the block runs."""
    engine = catalogue.sessions.kw["bind"]
    assert isinstance(engine, AsyncEngine)
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


def test_the_lock_opens_when_enough_failures_leave_the_window() -> None:
    failures = [NOW - timedelta(minutes=m) for m in (50, 40, 30, 20, 10)]
    assert locked_until(failures, [], NOW, LIMITS) == NOW + timedelta(minutes=10)
    assert locked_until(failures[1:], [], NOW, LIMITS) is None
    assert locked_until(failures, [], NOW + timedelta(minutes=10), LIMITS) is None
    # Three by one customer lock them out, whatever orders they tried.
    mine = failures[2:]
    assert locked_until([], mine, NOW, LIMITS) == NOW + timedelta(minutes=30)


@given(
    st.lists(st.integers(min_value=0, max_value=180), max_size=12),
    st.lists(st.integers(min_value=0, max_value=180), max_size=12),
)
def test_locked_exactly_while_the_window_holds_the_limit(
    order_minutes: list[int], customer_minutes: list[int]
) -> None:
    order = [NOW - timedelta(minutes=m) for m in order_minutes]
    mine = [NOW - timedelta(minutes=m) for m in customer_minutes]
    until = locked_until(order, mine, NOW, LIMITS)
    in_window = sum(m < 60 for m in order_minutes), sum(m < 60 for m in customer_minutes)
    assert (until is not None) == (in_window[0] >= 5 or in_window[1] >= 3)
    if until is not None:
        assert NOW < until <= NOW + LIMITS.window
        assert locked_until(order, mine, until, LIMITS) is None


async def test_right_wrong_and_unknown_run_the_same_statements(seeded: Catalogue) -> None:
    catalogue = at(seeded, NOW)
    runs: dict[str, list[str]] = {}
    for name, number, pair in (
        ("right pair", "100234", RIGHT),
        ("wrong pair", "100234", WRONG),
        ("unknown order", "999999", RIGHT),
        ("right email", "100234", Verification("email", "sanne.devries@example.nl")),
    ):
        with statements(catalogue) as seen:
            outcome = await catalogue.verify_order(number, pair, customer())
        assert (outcome.order is not None) == name.startswith("right"), name
        runs[name] = seen
    counts = {name: len(seen) for name, seen in runs.items()}
    assert len(set(counts.values())) == 1, counts
    assert runs["right pair"] == runs["wrong pair"] == runs["unknown order"]
    # attempt written, failures read, owner read, outcome written, old tries deleted, order read
    assert counts["right pair"] == 6


async def test_guessing_across_new_senders_locks_the_order(seeded: Catalogue) -> None:
    """A new sender id per guess (a new session, a new browser) does not reset the count."""
    for minute in range(5):
        guess = Verification("postcode", f"{1000 + minute}")
        outcome = await at(seeded, NOW + timedelta(minutes=minute)).verify_order(
            "100234", guess, customer()
        )
        assert outcome.order is None and outcome.locked_until is None
    # The sixth sender has the right postcode and still learns nothing.
    locked = await at(seeded, NOW + timedelta(minutes=6)).verify_order(
        "100234", RIGHT, customer()
    )
    assert locked.order is None
    assert locked.locked_until == NOW + timedelta(hours=1)
    # Not counted while locked, and open again once the first guess left the window.
    reopened = await at(seeded, NOW + timedelta(hours=1)).verify_order("100234", RIGHT, customer())
    assert reopened.order is not None and reopened.order.number == "100234"


async def test_guesses_at_the_same_moment_cannot_pass_the_limit(seeded: Catalogue) -> None:
    """Twelve parallel guesses from twelve senders: at most five are ever checked."""
    catalogue = at(seeded, NOW)
    outcomes = await asyncio.gather(
        *(
            catalogue.verify_order("100234", Verification("postcode", f"{2000 + n}"), customer())
            for n in range(12)
        )
    )
    checked = [o for o in outcomes if o.locked_until is None]
    # Tries that see each other in flight are all refused (and not counted): never more than 5.
    assert len(checked) <= 5, len(checked)
    assert all(o.order is None for o in outcomes)
    async with seeded.sessions() as session:
        failures = await session.scalar(
            select(func.count()).select_from(VerificationAttempt).where(
                VerificationAttempt.order_number == "100234"
            )
        )
    assert failures == len(checked)


async def test_one_customer_trying_many_orders_is_locked_out(seeded: Catalogue) -> None:
    me = customer()
    catalogue = at(seeded, NOW)
    for number in ("100234", "100512", "999999"):
        assert (await catalogue.verify_order(number, WRONG, me)).order is None
    mine = await catalogue.verify_order("100512", Verification("postcode", "3511KJ"), me)
    assert mine.order is None and mine.locked_until == NOW + timedelta(hours=1)
    # Somebody else is not affected.
    theirs = await catalogue.verify_order("100512", Verification("postcode", "3511KJ"), customer())
    assert theirs.order is not None


async def test_unknown_order_numbers_lock_too(seeded: Catalogue) -> None:
    """A lockout tells nothing about whether an order exists."""
    catalogue = at(seeded, NOW)
    for _ in range(5):
        await catalogue.verify_order("999999", RIGHT, customer())
    assert (await catalogue.verify_order("999999", RIGHT, customer())).locked_until is not None


async def test_old_attempts_are_deleted(seeded: Catalogue) -> None:
    await at(seeded, NOW).verify_order("100234", WRONG, customer())
    await at(seeded, NOW + timedelta(hours=2)).verify_order("100234", RIGHT, customer())
    async with seeded.sessions() as session:
        kept = await session.scalars(select(VerificationAttempt.succeeded))
        assert list(kept) == [True]
        total = await session.scalar(select(func.count()).select_from(VerificationAttempt))
    assert total == 1
