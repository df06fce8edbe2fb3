"""Turning customer words into search terms: normalising, synonyms and typo tolerance."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from catalogue.vocabulary import CATEGORIES, COLORS, informal_word, singular_forms

_NON_WORD = re.compile(r"[^a-z0-9]+")

# Words that say nothing about which product is meant, in both languages.
_STOPWORD_TEXT = """
    a an the do does did you your have has had any some i im i'm me my we our is are was be
    looking look for find want wanted need would like please show tell what which how much
    many cost costs price prices of in on at to and or with from it this that there these
    those can could get buy available availability stock sell selling still size sizes color
    colour colors colours about details detail more info information
    da ne nen ge gij uw hebde hedde zijde kunde zoudt ier hier wa hem ervan erin em
    when wanneer back terug again weer them one ones its
    hi hey hello hallo hoi got anything something nice cute pretty lovely new iets leuk leuke
    mooi mooie nieuw nieuwe just even eens toon laat zien see sale uitverkoop solden korting
    de het een ik mijn zoek zoeken zoekt op naar heb hebben hebt heeft jullie je jij u wat
    welke hoe hoeveel veel kost kosten prijs prijzen van in en of met voor is zijn er nog dat
    die deze dit mag graag wil willen kan kun kunnen koop kopen verkopen verkrijgbaar
    beschikbaar voorraad maat maten kleur kleuren over meer informatie info ook al te
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_COLOR_WORDS = frozenset(word for key, term in COLORS.items() for word in (key, *term.words))
_MIN_TOKEN = 2
_TYPO_CUTOFF = 80.0


def normalise(text: str) -> str:
    """Lower case, accents dropped, only letters and digits separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.split(ascii_only)).strip()


def query_tokens(text: str) -> list[str]:
    """The words of a query that can say which product is meant, informal words made standard."""
    return [
        informal_word(token)
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

    @property
    def names_a_kind_of_product(self) -> bool:
        """True when a known word says what is meant (name, category, material), not just a colour.

        "Zara blazer in black" knows only "black": its results would be any black product.
        """
        return any(not set(words) <= _COLOR_WORDS for words in self.alternatives)


class Vocabulary:
    """All words products can be found by; corrects typos against them."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = sorted(set(words))
        self._set = frozenset(self._words)

    def __len__(self) -> int:
        return len(self._words)

    @property
    def words(self) -> list[str]:
        """Every word, sorted."""
        return self._words

    def words_starting_with(self, prefix: str) -> list[str]:
        """Every word that starts with `prefix` (found by bisection of the sorted words)."""
        start = bisect.bisect_left(self._words, prefix)
        end = start
        while end < len(self._words) and self._words[end].startswith(prefix):
            end += 1
        return self._words[start:end]

    def _prefix_of_a_word(self, token: str) -> bool:
        return len(token) >= 3 and bool(self.words_starting_with(token))

    def resolve_token(self, token: str) -> tuple[str, ...]:
        """The word itself when known, else the closest spellings (empty when nothing is close)."""
        if token in self._set or self._prefix_of_a_word(token):
            return (token,)
        # A plural of a word the catalogue only has in the singular ("sneakers", "rokken").
        singulars = tuple(form for form in singular_forms(token) if form in self._set)
        if singulars:
            return singulars[:1]
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


def _related(word: str, other: str) -> bool:
    # "sweaters" names a "sweater", "jurk" a "jurken": one is a prefix of the other.
    shorter, longer = sorted((word, other), key=len)
    return len(shorter) >= 3 and longer.startswith(shorter)


@dataclass(frozen=True)
class IndexedProduct:
    """What ranking needs of a product: its names, as shown and normalised."""

    id: int
    name_en: str
    name_nl: str
    normalised_en: str
    normalised_nl: str


@dataclass
class SearchIndex:
    """Active products by the words they are found by, held in memory between reloads.

    Matching and ranking happen here; prices and stock are always read from the database.
    """

    postings: dict[str, set[int]] = field(default_factory=dict)
    name_postings: dict[str, set[int]] = field(default_factory=dict)
    products: dict[int, IndexedProduct] = field(default_factory=dict)
    # Position of each product in English name order: the tie-break, as a cheap integer.
    name_order: dict[int, int] = field(default_factory=dict)
    vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary(()))
    name_vocabulary: Vocabulary = field(default_factory=lambda: Vocabulary(()))

    @classmethod
    def build(cls, rows: Iterable[tuple[int, str, str, str]]) -> SearchIndex:
        """An index of (id, name_en, name_nl, search_text) rows."""
        postings: dict[str, set[int]] = {}
        name_postings: dict[str, set[int]] = {}
        products: dict[int, IndexedProduct] = {}
        for product_id, name_en, name_nl, search_text in rows:
            for word in search_text.split():
                postings.setdefault(word, set()).add(product_id)
            plain_en, plain_nl = normalise(name_en), normalise(name_nl)
            words = frozenset(f"{plain_en} {plain_nl}".split())
            for word in words:
                name_postings.setdefault(word, set()).add(product_id)
            products[product_id] = IndexedProduct(product_id, name_en, name_nl, plain_en, plain_nl)
        by_name = sorted(products.values(), key=lambda p: (p.name_en, p.id))
        name_order = {product.id: position for position, product in enumerate(by_name)}
        return cls(
            postings,
            name_postings,
            products,
            name_order,
            Vocabulary(postings),
            Vocabulary(name_postings),
        )

    def __len__(self) -> int:
        return len(self.products)

    def matching(self, resolved: ResolvedQuery) -> set[int]:
        """Products that have, for every query word, a word starting with one of its spellings."""
        found: set[int] | None = None
        for alternatives in resolved.alternatives:
            ids: set[int] = set()
            for alternative in alternatives:
                for word in self.vocabulary.words_starting_with(alternative):
                    ids |= self.postings[word]
            found = ids if found is None else found & ids
            if not found:
                return set()
        return found or set()

    def _named(self, alternatives: tuple[str, ...]) -> set[int]:
        """Products whose name has a word related to one of these spellings."""
        ids: set[int] = set()
        for alternative in alternatives:
            for word in self.name_vocabulary.words_starting_with(alternative[:3]):
                if _related(alternative, word):
                    ids |= self.name_postings[word]
        return ids

    def closest(self, words: Iterable[str], limit: int, min_score: float) -> list[int]:
        """Products with a name word spelt like one of `words` (0-100 >= min_score), closest first.

        For "we don't sell that; this comes closest": only names really alike count, so a
        word like nothing we sell gets no suggestions at all.
        """
        scores: dict[int, float] = {}
        names = self.name_vocabulary.words
        for word in words:
            if len(word) < 4:
                continue
            for name_word, score, _ in process.extract(
                word, names, scorer=fuzz.ratio, score_cutoff=min_score, limit=limit
            ):
                for product_id in self.name_postings[name_word]:
                    scores[product_id] = max(scores.get(product_id, 0.0), float(score))
        order = self.name_order
        return sorted(scores, key=lambda i: (-scores[i], order[i]))[:limit]

    def ranked(self, query: str, resolved: ResolvedQuery, ids: set[int], limit: int) -> list[int]:
        """The best `limit` of `ids`: most query words in the name, then the closest name."""
        hits: Counter[int] = Counter()
        for alternatives in resolved.alternatives:
            hits.update(self._named(alternatives) & ids)
        best_hits = max(hits.values(), default=0)
        order = self.name_order
        top = sorted((i for i in ids if hits[i] == best_hits), key=order.__getitem__)
        # Fuzzy scoring (in C) only for the products naming the most query words, and only the
        # best `limit` per language: the overall best are among those.
        wanted = " ".join(query_tokens(query)) or normalise(query)
        scores: dict[int, float] = {}
        for attribute in ("normalised_en", "normalised_nl"):
            names = [getattr(self.products[i], attribute) for i in top]
            for _, score, position in process.extract(
                wanted, names, scorer=fuzz.token_set_ratio, processor=None, limit=limit
            ):
                product_id = top[position]
                scores[product_id] = max(scores.get(product_id, 0.0), float(score))
        best = sorted(scores, key=lambda i: (-scores[i], order[i]))[:limit]
        if len(best) < limit:
            chosen = set(best)
            rest = sorted((i for i in ids if i not in chosen), key=lambda i: (-hits[i], order[i]))
            best.extend(rest[: limit - len(best)])
        return best
