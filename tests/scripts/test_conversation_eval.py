"""The conversation evaluation's own logic, without a stack: the suite, the facts, the judge."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from scripts.conversation_eval import report
from scripts.conversation_eval.cases import (
    EVAL_ROOT,
    ROOT,
    CaseError,
    Conversation,
    Turn,
    load_suite,
    parse_file,
)
from scripts.conversation_eval.checks import Reply, judge, reply_language
from scripts.conversation_eval.facts import FactError, SeedFacts
from scripts.conversation_eval.player import ConversationResult, TurnResult

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def facts() -> SeedFacts:
    return SeedFacts(today=TODAY)


@pytest.fixture(scope="module")
def suite(facts: SeedFacts) -> list[Conversation]:
    return load_suite(facts=facts)


def _turn(facts: SeedFacts, *references: str, language: str = "en", **kwargs: object) -> Turn:
    must = tuple(m for r in references for m in facts.resolve(r, language))
    return Turn(user="x", language=language, must=must, **kwargs)  # type: ignore[arg-type]


def test_the_suite_has_sixty_conversations_per_language_and_a_third_held_out(
    suite: list[Conversation],
) -> None:
    per_language = Counter(c.language for c in suite)
    assert per_language["en"] >= 60 and per_language["nl"] >= 60, per_language
    for language in ("en", "nl"):
        mine = [c for c in suite if c.language == language]
        held_out = sum(c.part == "heldout" for c in mine) / len(mine)
        assert 0.25 <= held_out <= 0.4, (language, held_out)
        # Multi-turn: most conversations hold more than one message.
        assert sum(len(c.turns) > 1 for c in mine) / len(mine) > 0.5


def test_every_flow_the_issue_names_is_in_both_languages(suite: list[Conversation]) -> None:
    flows = {(c.language, c.flow) for c in suite}
    for flow in ("product", "faq", "order", "return", "refund", "event", "off_topic", "privacy",
                 "bad_input", "handoff", "language", "multi_intent"):
        assert ("en", flow) in flows and ("nl", flow) in flows, flow


# Already a training example when the held-out set was written (main at 0639f2c): it stays in
# the set unchanged (the set is frozen) but is no evidence of generalisation.
_IN_DATA_BEFORE_THE_SET = {"wat voor weer wordt het morgen?"}


def test_held_out_messages_are_not_in_the_training_data(suite: list[Conversation]) -> None:
    """The held-out part is never tuned on: none of its sentences may be a training example."""
    trained = " ".join(
        " ".join(p.read_text(encoding="utf-8").lower().split())
        for p in (ROOT / "data").rglob("*.yml")
    )
    leaked = [
        turn.user
        for c in suite
        if c.part == "heldout"
        for turn in c.turns
        if len(turn.user.split()) >= 4
        and turn.user not in _IN_DATA_BEFORE_THE_SET
        and " ".join(turn.user.lower().split()) in trained
    ]
    assert not leaked, f"held-out messages copied into data/: {leaked}"


def test_eval_files_are_not_story_files() -> None:
    """`rasa test core --stories tests/conversations` must keep reading only the story tests."""
    for path in EVAL_ROOT.rglob("*.yml"):
        loaded = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        assert "stories" not in loaded and "rules" not in loaded, path


def test_prices_come_from_the_seed_whichever_way_they_are_written(facts: SeedFacts) -> None:
    turn = _turn(facts, "price:LC-DR-LINA")
    assert judge(turn, Reply(("The Lina wrap dress is €79.95.",)), None, None) == []
    dutch = _turn(facts, "price:LC-DR-LINA", language="nl")
    assert judge(dutch, Reply(("De Lina wikkeljurk kost € 79,95.",)), None, None) == []
    problems = judge(turn, Reply(("The Lina wrap dress is €179.95.",)), None, None)
    assert problems == ["missing price of LC-DR-LINA (79.95)"]
    # A sale product's price is the one charged now.
    sale = _turn(facts, "sale:LC-CO-STORM")
    said = "The Storm raincoat is on sale: €103.96 instead of €129.95."
    assert judge(sale, Reply((said,)), None, None) == []


def test_dates_follow_the_seeding_day(facts: SeedFacts) -> None:
    turn = _turn(facts, "restock:LC-DR-LINA/M/terracotta")
    assert judge(turn, Reply(("We expect it back on Tuesday 15 December.",)), None, None) == []
    assert judge(turn, Reply(("We expect it back on Monday 14 December.",)), None, None)
    nl = _turn(facts, "restock:LC-DR-LINA/M/terracotta", language="nl")
    assert judge(nl, Reply(("we verwachten hem weer op dinsdag 15 december.",)), None, None) == []


def test_sizes_are_whole_words(facts: SeedFacts) -> None:
    turn = _turn(facts, "size:S")
    assert judge(turn, Reply(("Sizes: M, L and XL.",)), None, None) == ["missing size S"]
    assert judge(turn, Reply(("Sizes: S, M, L and XL.",)), None, None) == []


def test_forbidden_private_data_of_another_order(facts: SeedFacts) -> None:
    turn = Turn(user="x", language="en", must_not=tuple(facts.resolve("private:100234", "en")))
    leak = Reply(("The order belongs to sanne.devries@example.nl, postcode 1012 AB.",))
    problems = judge(turn, leak, None, None)
    assert "forbidden email of order 100234" in problems
    assert "forbidden postcode of order 100234" in problems
    safe = Reply(("I can't find an order that matches this order number and postcode.",))
    assert judge(turn, safe, None, None) == []


def test_reply_language_and_ticket_checks() -> None:
    assert reply_language("Goed nieuws: de Lina wikkeljurk is op voorraad.") == "nl"
    assert reply_language("Good news: the Lina wrap dress is in stock (4 left).") == "en"
    assert reply_language("€79.95") is None
    english = Turn(user="x", language="en", ticket=False)
    dutch_reply = Reply(("Ik heb je vraag doorgegeven aan een collega, die reageert snel.",))
    assert judge(english, dutch_reply, 0, 1) == [
        "reply in nl, expected en", "expected no ticket, the conversation has 1"
    ]
    wants_ticket = Turn(user="x", language="nl", ticket=True)
    assert judge(wants_ticket, dutch_reply, 0, 1) == []
    assert judge(wants_ticket, dutch_reply, 0, 0) == ["expected a ticket to be created, none was"]
    assert judge(Turn(user="x", language="en"), Reply(()), None, None) == ["no reply text at all"]


def test_unknown_references_are_refused_with_the_place(tmp_path: Path, facts: SeedFacts) -> None:
    with pytest.raises(FactError, match="LC-NOPE"):
        facts.resolve("price:LC-NOPE", "en")
    with pytest.raises(FactError, match="unknown fact"):
        facts.resolve("colour:navy", "en")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "conversations:\n- id: broken-one\n  flow: product\n  turns:\n"
        "  - user: hi\n    facts: [price:LC-NOPE]\n",
        encoding="utf-8",
    )
    with pytest.raises(CaseError, match=r"broken-one turn 1.*LC-NOPE"):
        parse_file(bad, "tuned", "en", facts)


def test_report_counts_and_lists_each_failing_turn(tmp_path: Path) -> None:
    def result(cid: str, language: str, part: str, passed: list[bool]) -> ConversationResult:
        conversation = Conversation(cid, "faq", language, part, "x.yml", (Turn("q", language),))
        turns = tuple(
            TurnResult(n + 1, "q", ("answer",), (), () if ok else ("missing thing",), 0.1)
            for n, ok in enumerate(passed)
        )
        return ConversationResult(conversation, f"s-{cid}", turns)

    results = [
        result("a", "en", "heldout", [True, True]),
        result("b", "en", "heldout", [True, False]),
        result("c", "nl", "tuned", [False]),
    ]
    summary = report.summary(results, 1.0)
    assert summary["by_part_language"]["heldout/en"]["turn_success"] == 0.75
    assert summary["by_part_language"]["heldout/en"]["conversation_success"] == 0.5
    assert summary["by_part_language"]["tuned/nl"]["turns_passed"] == 0
    json_path, md_path = report.write(summary, tmp_path)
    assert len(json.loads(json_path.read_text())["failures"]) == 2
    text = md_path.read_text()
    assert "heldout/en `b` turn 2" in text and "**missing thing**" in text
