"""Example counts per intent and language, flagging intents one language is short of."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from training.domain import load_domain
from training.nlu_files import read_nlu_dir
from training.paths import LANGUAGES, ProjectPaths

MIN_EXAMPLES = 25


@dataclass(frozen=True)
class ParityRow:
    """How many examples one intent has in each language."""

    intent: str
    counts: dict[str, int]
    in_domain: bool

    @property
    def short_languages(self) -> list[str]:
        """Languages with fewer than the minimum number of examples."""
        return [language for language in LANGUAGES if self.counts[language] < MIN_EXAMPLES]

    @property
    def flagged(self) -> bool:
        """Whether the intent needs more examples (or is not in the domain)."""
        return bool(self.short_languages) or not self.in_domain


def parity_report(paths: ProjectPaths) -> list[ParityRow]:
    """One row per trainable intent (and per intent found in the data but not the domain)."""
    domain = load_domain(paths.domain)
    counts = Counter((example.intent, example.language) for example in read_nlu_dir(paths.nlu))
    intents = set(domain.trainable_intents) | {intent for intent, _ in counts}
    return [
        ParityRow(
            intent,
            {language: counts[(intent, language)] for language in LANGUAGES},
            intent in domain.intents,
        )
        for intent in sorted(intents)
    ]


def format_report(rows: list[ParityRow]) -> str:
    """A plain-text table for the command line."""
    width = max([len("intent"), *(len(row.intent) for row in rows)])
    header = f"{'intent':<{width}}  " + "  ".join(f"{lang:>4}" for lang in LANGUAGES) + "  flag"
    lines = [header, "-" * len(header)]
    for row in rows:
        counts = "  ".join(f"{row.counts[lang]:>4}" for lang in LANGUAGES)
        if not row.in_domain:
            flag = "not in domain"
        elif row.short_languages:
            flag = f"< {MIN_EXAMPLES} in " + ", ".join(row.short_languages)
        else:
            flag = ""
        lines.append(f"{row.intent:<{width}}  {counts}  {flag}".rstrip())
    flagged = sum(row.flagged for row in rows)
    lines.append(f"{len(rows)} intents, {flagged} flagged (minimum {MIN_EXAMPLES} per language)")
    return "\n".join(lines)
