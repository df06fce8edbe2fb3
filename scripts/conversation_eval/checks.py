"""Judging one reply: facts present, forbidden content absent, language, ticket.

The language judge is the harness's own (lingua restricted to Dutch and English, with a few
function words as tie-breakers), not the assistant's detector: the assistant is not graded
by its own code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from scripts.conversation_eval.cases import Turn
from scripts.conversation_eval.facts import normalise

# Words that decide a short reply when lingua is unsure; product names and prices say nothing.
_NL_WORDS = frozenset(
    [
        "de", "het", "een", "en", "is", "je", "jij", "we", "wij", "ik", "niet", "wel", "voor",
        "van", "met", "op", "naar", "kan", "kun", "wil", "dit", "dat", "er", "ook", "nog", "maar",
        "wat", "hoe", "waar", "wanneer", "graag", "bij", "als", "zijn", "heeft", "hebt", "zo",
        "uit", "om",
    ]
)
_EN_WORDS = frozenset(
    [
        "the", "a", "an", "and", "is", "you", "we", "i", "not", "for", "of", "with", "on", "to",
        "can", "will", "this", "that", "there", "also", "what", "how", "where", "when", "please",
        "at", "if", "are", "has", "have", "so", "out", "it", "your", "be",
    ]
)
_NOISE = re.compile(r"https?://\S+|\S+@\S+|€\s?[\d.,]+|[\d.,:/-]+")


@cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.ENGLISH).build()


def reply_language(text: str) -> str | None:
    """ "nl", "en", or None when the reply has too few words to tell."""
    cleaned = _NOISE.sub(" ", text)
    words = re.findall(r"[^\W\d_]+", cleaned.lower())
    if len(words) < 3:
        return None
    nl = sum(w in _NL_WORDS for w in words)
    en = sum(w in _EN_WORDS for w in words)
    from lingua import Language

    confidences = {
        value.language: value.value
        for value in _detector().compute_language_confidence_values(" ".join(words))
    }
    dutch = confidences.get(Language.DUTCH, 0.0)
    # Function words weigh most: product names ("Storm raincoat") sway lingua in short texts.
    share = 0.7 * (nl / (nl + en)) + 0.3 * dutch if nl + en >= 2 else dutch
    if 0.4 < share < 0.6:
        return None
    return "nl" if share >= 0.6 else "en"


@dataclass(frozen=True)
class Reply:
    """What the assistant sent back for one message: texts and button titles."""

    texts: tuple[str, ...]
    buttons: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    @property
    def everything(self) -> str:
        return "\n".join((*self.texts, *self.buttons))


def judge(
    turn: Turn, reply: Reply, ticket_before: int | None, ticket_after: int | None
) -> list[str]:
    """Why this reply fails the turn's checks; empty when it passes."""
    problems: list[str] = []
    if not reply.texts:
        problems.append("no reply text at all")
    said = normalise(reply.everything)
    for matcher in turn.must:
        if not matcher.found_in(said):
            problems.append(f"missing {matcher.label}")
    for matcher in turn.must_not:
        if matcher.found_in(said):
            problems.append(f"forbidden {matcher.label}")
    if turn.language is not None and reply.texts:
        found = reply_language(reply.text)
        if found is not None and found != turn.language:
            problems.append(f"reply in {found}, expected {turn.language}")
    if turn.ticket is not None:
        if ticket_before is None or ticket_after is None:
            problems.append("ticket check declared but the inbox was not asked")
        elif turn.ticket and ticket_after <= ticket_before:
            problems.append("expected a ticket to be created, none was")
        elif not turn.ticket and ticket_after > 0:
            problems.append(f"expected no ticket, the conversation has {ticket_after}")
    return problems
