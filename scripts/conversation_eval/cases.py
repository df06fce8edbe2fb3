"""The evaluation conversations: tests/conversations/eval/<part>/<language>/*.yml, read and checked.

A file holds `conversations:`, each with an `id`, a `flow` and its `turns`; a turn is what the
customer writes (`user`, or `user_long` for a long text) and what the reply must satisfy:

    - user: "hoeveel kost da kleedje van lina?"
      facts: [price:LC-DR-LINA]        # seed references, all must appear (facts.py)
      say: [[uitverkocht, "niet op voorraad"]]   # each entry: one of its texts must appear
      forbid: ["Over welk product gaat het"]    # none of these may appear
      forbid_facts: [private:100234]   # none of these seed facts may appear
      language: nl                     # the reply's language; default: the folder's language
      ticket: false                    # true: this turn creates a ticket; false: none after it

The files never use the key `stories`, so `rasa test core --stories tests/conversations`
keeps reading only the story tests beside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from scripts.conversation_eval.facts import LANGUAGES, FactError, Matcher, SeedFacts, literal

ROOT = Path(__file__).resolve().parents[2]
EVAL_ROOT = ROOT / "tests" / "conversations" / "eval"
PARTS = ("tuned", "heldout")
FLOWS = (
    "product", "faq", "order", "return", "refund", "event", "smalltalk", "off_topic",
    "privacy", "bad_input", "handoff", "language", "multi_intent",
)
_TURN_KEYS = {"user", "user_long", "facts", "say", "forbid", "forbid_facts", "language", "ticket",
              "note"}
_CONVERSATION_KEYS = {"id", "flow", "description", "turns", "tags"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,80}$")


class CaseError(ValueError):
    """A conversation file the harness cannot play as written; the message names file and place."""


@dataclass(frozen=True)
class Turn:
    """One customer message and what the assistant's answer to it must satisfy."""

    user: str
    language: str | None
    must: tuple[Matcher, ...] = ()
    must_not: tuple[Matcher, ...] = ()
    ticket: bool | None = None
    facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conversation:
    """A multi-turn conversation as one customer holds it."""

    id: str
    flow: str
    language: str
    part: str
    path: str
    turns: tuple[Turn, ...]
    tags: tuple[str, ...] = field(default=())


def _yaml() -> YAML:
    return YAML(typ="safe")


def _texts(value: Any, where: str, key: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    raise CaseError(f"{where}: {key} must be a text or a list of texts")


def _turn(raw: Any, language: str, facts: SeedFacts, where: str) -> Turn:
    if not isinstance(raw, dict):
        raise CaseError(f"{where}: a turn is a mapping with `user`")
    unknown = set(raw) - _TURN_KEYS
    if unknown:
        raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
    if "user_long" in raw:
        spec = raw["user_long"]
        if not isinstance(spec, dict) or not isinstance(spec.get("text"), str):
            raise CaseError(f"{where}: user_long is {{text: ..., chars: N}}")
        chars = int(spec.get("chars", 2000))
        text = spec["text"]
        user = (text * (chars // max(len(text), 1) + 1))[:chars]
    elif "user" in raw and isinstance(raw["user"], str):
        user = raw["user"]
    else:
        raise CaseError(f"{where}: `user` (the customer's message) is missing")
    reply_language = raw.get("language", language)
    if reply_language not in (*LANGUAGES, "any"):
        raise CaseError(f"{where}: language must be en, nl or any")
    ticket = raw.get("ticket")
    if ticket is not None and not isinstance(ticket, bool):
        raise CaseError(f"{where}: ticket must be true or false")
    check_language = language if reply_language == "any" else reply_language
    must: list[Matcher] = []
    must_not: list[Matcher] = []
    references = [str(r) for r in raw.get("facts", [])]
    try:
        for reference in references:
            must.extend(facts.resolve(reference, check_language))
        for reference in raw.get("forbid_facts", []):
            must_not.extend(facts.resolve(str(reference), check_language))
    except FactError as error:
        raise CaseError(f"{where}: {error}") from None
    for entry in raw.get("say", []):
        alternatives = _texts(entry, where, "say")
        must.append(literal(" or ".join(repr(a) for a in alternatives), *alternatives))
    for entry in raw.get("forbid", []):
        for text in _texts(entry, where, "forbid"):
            must_not.append(literal(repr(text), text))
    return Turn(
        user=user,
        language=None if reply_language == "any" else reply_language,
        must=tuple(must),
        must_not=tuple(must_not),
        ticket=ticket,
        facts=tuple(references),
    )


def parse_file(path: Path, part: str, language: str, facts: SeedFacts) -> list[Conversation]:
    """The conversations of one file, with every reference resolved (CaseError if not possible)."""
    try:
        relative = str(path.relative_to(ROOT))
    except ValueError:
        relative = str(path)
    loaded = _yaml().load(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict) or not isinstance(loaded.get("conversations"), list):
        raise CaseError(f"{relative}: expected `conversations:` with a list")
    if "stories" in loaded:
        raise CaseError(f"{relative}: `stories` would make Rasa read this file as story tests")
    conversations: list[Conversation] = []
    for index, raw in enumerate(loaded["conversations"]):
        where = f"{relative} conversation {index + 1}"
        if not isinstance(raw, dict):
            raise CaseError(f"{where}: a conversation is a mapping")
        unknown = set(raw) - _CONVERSATION_KEYS
        if unknown:
            raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
        cid = raw.get("id")
        if not isinstance(cid, str) or not _ID.match(cid):
            raise CaseError(f"{where}: id must be 3-80 lower-case letters, digits and '-'")
        where = f"{relative} {cid}"
        flow = raw.get("flow")
        if flow not in FLOWS:
            raise CaseError(f"{where}: flow must be one of {', '.join(FLOWS)}")
        turns = raw.get("turns")
        if not isinstance(turns, list) or not turns:
            raise CaseError(f"{where}: turns must be a non-empty list")
        conversations.append(
            Conversation(
                id=cid,
                flow=flow,
                language=language,
                part=part,
                path=relative,
                turns=tuple(
                    _turn(t, language, facts, f"{where} turn {n + 1}") for n, t in enumerate(turns)
                ),
                tags=tuple(str(t) for t in raw.get("tags", [])),
            )
        )
    return conversations


def load_suite(
    root: Path = EVAL_ROOT, facts: SeedFacts | None = None,
    parts: Sequence[str] = PARTS, languages: Sequence[str] = LANGUAGES,
) -> list[Conversation]:
    """Every conversation under root/<part>/<language>/, ids unique across the suite."""
    facts = facts or SeedFacts()
    suite: list[Conversation] = []
    for part in parts:
        for language in languages:
            for path in sorted((root / part / language).glob("*.yml")):
                suite.extend(parse_file(path, part, language, facts))
    seen: dict[str, str] = {}
    for conversation in suite:
        if conversation.id in seen:
            raise CaseError(
                f"conversation id {conversation.id!r} is used in {seen[conversation.id]} "
                f"and {conversation.path}"
            )
        seen[conversation.id] = conversation.path
    return suite


def user_texts(conversations: Iterable[Conversation]) -> list[str]:
    """Every customer message of these conversations."""
    return [turn.user for conversation in conversations for turn in conversation.turns]
