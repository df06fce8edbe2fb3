"""Which of Dutch and English a training example is written in (lingua, restricted to both)."""

from __future__ import annotations

import re
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from training.markup import unmarked_text

LINGUA_CODES = {Language.DUTCH: "nl", Language.ENGLISH: "en"}
# Below this many words ("hoi", "help", "is this chatgpt?") both languages are plausible.
MIN_WORDS = 4
# Customers code-switch ("wat is jullie return policy" reads 0.82 English): only a clear
# verdict refuses. Chosen so that none of the 2,509 hand-labelled examples is refused.
MIN_CONFIDENCE = 0.9
WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LINGUA_CODES).build()


def detect_language(text: str) -> str | None:
    """`nl` or `en` when the text is clearly one of them, `None` when too short or unsure."""
    # Entity values are product names, cities, ... and say nothing about the sentence.
    rest = unmarked_text(text, blank=" ")
    if len(WORD.findall(rest)) < MIN_WORDS:
        return None
    best = _detector().compute_language_confidence_values(rest)[0]
    if best.value < MIN_CONFIDENCE:
        return None
    return LINGUA_CODES.get(best.language)
