"""Text normalisation for spotting near-identical examples."""

from __future__ import annotations

import unicodedata

from training.markup import parse_markup


def normalise_text(text: str) -> str:
    """Fold case, accents, punctuation and whitespace; entity markup counts as its value."""
    plain, _ = parse_markup(text)
    decomposed = unicodedata.normalize("NFKD", plain.casefold())
    kept: list[str] = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn":  # combining accent
            continue
        if category[0] in "PSZC":  # punctuation, symbols, separators, control
            kept.append(" ")
        else:
            kept.append(char)
    return " ".join("".join(kept).split())
