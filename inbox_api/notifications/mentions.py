"""Who an internal note @mentions, as a pure function of its text and the staff list.

A colleague is named by the part of their e-mail address before the @ (`@sanne.devries`,
always unique) or by their first name (`@Sanne`) when no other active colleague shares it.
Matching ignores case; an unknown or ambiguous name notifies nobody.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MENTION = re.compile(r"(?<![\w@])@([\w][\w.\-]*)")


@dataclass(frozen=True)
class Mentionable:
    """A colleague who can be mentioned, with the handles that name them."""

    id: int
    name: str
    handle: str
    first_name: str


def mentionable(staff: Iterable[tuple[int, str, str]]) -> list[Mentionable]:
    """(id, name, email) rows as mentionable colleagues."""
    return [
        Mentionable(
            id=staff_id,
            name=name,
            handle=email.split("@", 1)[0].lower(),
            first_name=(name.split() or [""])[0].lower(),
        )
        for staff_id, name, email in staff
    ]


def mentioned_ids(text: str, people: Sequence[Mentionable]) -> list[int]:
    """The ids of the colleagues the text names, each once, in order."""
    firsts = Counter(p.first_name for p in people)
    found: list[int] = []
    for raw in MENTION.findall(text):
        name = raw.rstrip(".-").lower()
        match = next((p for p in people if p.handle == name), None)
        if match is None and firsts[name] == 1:
            match = next(p for p in people if p.first_name == name)
        if match is not None and match.id not in found:
            found.append(match.id)
    return found
