"""Turning customer words into search terms: normalising, synonyms and typo tolerance."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from catalogue.vocabulary import CATEGORIES, COLORS

_NON_WORD = re.compile(r"[^a-z0-9]+")

# Words that say nothing about which product is meant, in both languages.
_STOPWORD_TEXT = """
    a an the do does did you your have has had any some i im i'm me my we our is are was be
    looking look for find want wanted need would like please show tell what which how much
    many cost costs price prices of in on at to and or with from it this that there these
    those can could get buy available availability stock sell selling still size sizes color
    colour colors colours about details detail more info information
    de het een ik mijn zoek zoeken zoekt op naar heb hebben hebt heeft jullie je jij u wat
    welke hoe hoeveel veel kost kosten prijs prijzen van in en of met voor is zijn er nog dat
    die deze dit mag graag wil willen kan kun kunnen koop kopen verkopen verkrijgbaar
    beschikbaar voorraad maat maten kleur kleuren over meer informatie info ook al te
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_MIN_TOKEN = 2
_TYPO_CUTOFF = 80.0


def normalise(text: str) -> str:
    """Lower case, accents dropped, only letters and digits separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.split(ascii_only)).strip()


def query_tokens(text: str) -> list[str]:
    """The words of a query that can say which product is meant."""
    return [
        token
        for token in normalise(text).split()
        if len(token) >= _MIN_TOKEN and token not in STOPWORDS
    ]


def build_search_text(
    *,
    names: Iterable[str],
    category: str,
    colors: Iterable[str],
    materials: Iterable[str],
) -> str:
    """The space-padded word list a product is found by (names, category, colours, material)."""
    words: list[str] = []
    for text in names:
        words.extend(normalise(text).split())
    term = CATEGORIES.get(category)
    words.extend([category, *(term.words if term else ())])
    for color in colors:
        color_term = COLORS.get(color)
        words.extend([color, *(color_term.words if color_term else ())])
    for text in materials:
        words.extend(normalise(text).split())
    unique = list(dict.fromkeys(word for word in words if word))
    return f" {' '.join(unique)} "


@dataclass(frozen=True)
class ResolvedQuery:
    """Per meaningful query word, the vocabulary words that may stand for it."""

    alternatives: tuple[tuple[str, ...], ...]
    unknown: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """True when no word of the query could be matched to the catalogue."""
        return not self.alternatives


class Vocabulary:
    """All words products can be found by; corrects typos against them."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = sorted(set(words))
        self._set = frozenset(self._words)

    def __len__(self) -> int:
        return len(self._words)

    def _prefix_of_a_word(self, token: str) -> bool:
        return len(token) >= 3 and any(word.startswith(token) for word in self._words)

    def resolve_token(self, token: str) -> tuple[str, ...]:
        """The word itself when known, else the closest spellings (empty when nothing is close)."""
        if token in self._set or self._prefix_of_a_word(token):
            return (token,)
        if len(token) < 4:
            return ()
        matches = process.extract(
            token, self._words, scorer=fuzz.ratio, score_cutoff=_TYPO_CUTOFF, limit=3
        )
        return tuple(str(match[0]) for match in matches)

    def resolve(self, text: str) -> ResolvedQuery:
        """Resolve every meaningful word of a query."""
        alternatives: list[tuple[str, ...]] = []
        unknown: list[str] = []
        for token in query_tokens(text):
            resolved = self.resolve_token(token)
            if resolved:
                alternatives.append(resolved)
            else:
                unknown.append(token)
        return ResolvedQuery(tuple(alternatives), tuple(unknown))


def name_score(query: str, *names: str) -> float:
    """How well a query names a product (0-100), over its names in both languages."""
    wanted = " ".join(query_tokens(query)) or normalise(query)
    return max(fuzz.token_set_ratio(wanted, normalise(name)) for name in names)
