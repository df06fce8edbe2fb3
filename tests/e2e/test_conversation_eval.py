"""The conversation evaluation against the real stack (`make eval-conversations`, and `make test`).

The score is a report (reports/conversations/), never a gate: these tests fail only when the
harness itself is broken, i.e. a conversation was not played, or a deliberately wrong check
passes. `EVAL_CONVERSATIONS=heldout/nl` (part/language, either may be `*`) plays a subset.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from typing import Any

import httpx
import pytest

from scripts.conversation_eval import report
from scripts.conversation_eval.cases import LANGUAGES, PARTS, Conversation, Turn, load_suite
from scripts.conversation_eval.facts import SeedFacts, literal
from scripts.conversation_eval.player import TicketCounter, play
from tests.e2e.conftest import RunningStack, running_stack

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    """A stack of its own: the evaluation verifies, returns and escalates on the demo orders
    that the other end-to-end tests expect untouched (a return of the Lina wrap dress on
    order 100234, for one)."""
    with running_stack(tmp_path_factory.mktemp("eval")) as running:
        yield running


def _selection() -> tuple[list[str], list[str]]:
    wanted = os.environ.get("EVAL_CONVERSATIONS", "*/*")
    part, _, language = wanted.partition("/")
    parts = list(PARTS) if part in ("", "*") else [part]
    languages = list(LANGUAGES) if language in ("", "*") else [language]
    return parts, languages


def _counter(stack: RunningStack) -> TicketCounter:
    return TicketCounter(stack.inbox_url, stack.staff_email, stack.staff_password)


async def test_every_conversation_is_played_and_reported(
    stack: RunningStack, capsys: pytest.CaptureFixture[str]
) -> None:
    parts, languages = _selection()
    suite = load_suite(parts=parts, languages=languages)
    assert suite, f"no conversations for {parts} / {languages}"
    started = time.monotonic()
    tickets = _counter(stack)
    try:
        results = await play(suite, stack.rasa_url, tickets)
    finally:
        # The other e2e tests share this stack's inbox and read the first page of its queue.
        await tickets.resolve_all()
    seconds = time.monotonic() - started

    # Every conversation and every turn was played and judged, each under its own sender.
    assert [r.conversation.id for r in results] == [c.id for c in suite]
    assert len({r.sender for r in results}) == len(results)
    for result in results:
        assert len(result.turns) == len(result.conversation.turns), result.conversation.id

    summary = report.summary(results, seconds)
    json_path, md_path = report.write(summary)
    assert summary["overall"]["turns"] == sum(len(c.turns) for c in suite)
    assert md_path.read_text(encoding="utf-8").count("### ") == len(summary["failures"])
    # The conversations reached the inbox's containment figures through the action server.
    # Reports are best-effort (at most 1 s each, docs/contracts.md): on a loaded machine a
    # one-message conversation can lose its only one; a conversation of typed EXTERNAL_
    # payloads alone has no customer message to report.
    counted = _reported_conversations(stack)
    missing = sorted(r.sender for r in results if r.sender not in counted)
    assert len(missing) <= len(suite) // 10, missing
    containment = await _containment(stack)
    assert containment["by_channel"]["rest"]["conversations"] >= len(suite) - len(missing)
    with capsys.disabled():
        print("\n" + report.headline(summary) + f"\n  ({seconds:.0f} s; {json_path})")
        print(f"  containment in the SLA report: {containment['overall']}; not reported: {missing}")


def _reported_conversations(stack: RunningStack) -> set[str]:
    """The conversation ids in the inbox's bot_conversations (the stack's own SQLite file)."""
    path = stack.database_url.split(":///", 1)[1]
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("SELECT conversation_id FROM bot_conversations").fetchall()
    return {str(row[0]) for row in rows}


async def _containment(stack: RunningStack) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=stack.inbox_url, timeout=60) as client:
        login = await client.post(
            "/api/v1/auth/login",
            json={"email": stack.staff_email, "password": stack.staff_password},
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        response = await client.get("/api/v1/sla/report", headers=headers)
    assert response.status_code == 200, response.text
    containment: dict[str, Any] = response.json()["containment"]
    return containment


async def test_a_deliberately_wrong_check_fails(stack: RunningStack) -> None:
    """The harness can fail: a wrong price, a wrong language and a ticket that never came."""
    facts = SeedFacts()
    right = "how much is the Lina wrap dress?"
    wrong_price = Turn(
        user=right, language="en", must=tuple(facts.resolve("price:LC-KN-TIES", "en"))
    )
    wrong_language = Turn(user=right, language="nl")
    wrong_ticket = Turn(user=right, language="en", ticket=True)
    wrong_forbid = Turn(
        user=right, language="en", must_not=tuple(facts.resolve("price:LC-DR-LINA", "en"))
    )
    right_turn = Turn(
        user=right, language="en", must=(literal("the name", "Lina wrap dress"),), ticket=False
    )
    probes = [
        Conversation(
            f"probe-{name}", "product", "en", "probe", "(test)",
            (Turn(user="hello there", language="en"), turn),
        )
        for name, turn in (
            ("price", wrong_price), ("language", wrong_language), ("ticket", wrong_ticket),
            ("forbid", wrong_forbid), ("right", right_turn),
        )
    ]
    tickets = _counter(stack)
    try:
        played = await play(probes, stack.rasa_url, tickets)
    finally:
        await tickets.resolve_all()
    results = {r.conversation.id: r for r in played}
    last = {cid: result.turns[-1] for cid, result in results.items()}
    assert last["probe-right"].passed, last["probe-right"]
    assert any("price of LC-KN-TIES" in p for p in last["probe-price"].problems)
    assert any("expected nl" in p for p in last["probe-language"].problems)
    assert any("expected a ticket" in p for p in last["probe-ticket"].problems)
    assert any("forbidden price of LC-DR-LINA" in p for p in last["probe-forbid"].problems)
