"""Rasa entity markup in example text: `[100234](order_number)` or `[x]{"entity": "y"}`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# [value](entity) / [value](entity:synonym) / [value]{"entity": ...}
MARKUP = re.compile(r"\[(?P<value>[^\[\]]+)\](?:\((?P<short>[^()]+)\)|(?P<json>\{[^{}]+\}))")


@dataclass(frozen=True)
class MarkedEntity:
    """One entity annotation: its name and where its value sits in the plain text."""

    entity: str
    value: str
    start: int
    end: int
    synonym: str | None = None  # `[NYC](city:New York)`: Rasa stores "New York" as the value


@dataclass(frozen=True)
class EntitySpan:
    """A span of plain text a trainer marks as an entity."""

    start: int
    end: int
    entity: str


class MarkupError(ValueError):
    """The markup (or a requested span) cannot be understood."""


def _entity_name(match: re.Match[str]) -> tuple[str, str | None]:
    short = match.group("short")
    if short is not None:
        name, _, synonym = short.partition(":")
        return name.strip(), synonym.strip() or None
    try:
        data = json.loads(match.group("json"))
    except json.JSONDecodeError as exc:
        raise MarkupError(f"invalid entity annotation {match.group(0)!r}") from exc
    name = data.get("entity") if isinstance(data, dict) else None
    if not isinstance(name, str):
        raise MarkupError(f"entity annotation without a name: {match.group(0)!r}")
    value = data.get("value")
    return name, str(value) if value is not None else None


def parse_markup(text: str) -> tuple[str, list[MarkedEntity]]:
    """Split annotated text into its plain text and the entities marked in it."""
    plain: list[str] = []
    entities: list[MarkedEntity] = []
    cursor = 0
    length = 0
    for match in MARKUP.finditer(text):
        before = text[cursor : match.start()]
        plain.append(before)
        length += len(before)
        value = match.group("value")
        name, synonym = _entity_name(match)
        entities.append(MarkedEntity(name, value, length, length + len(value), synonym))
        plain.append(value)
        length += len(value)
        cursor = match.end()
    plain.append(text[cursor:])
    return "".join(plain), entities


def unmarked_text(text: str, blank: str = " ") -> str:
    """The text with every marked entity value replaced by `blank` (for checks on the rest)."""
    return MARKUP.sub(blank, text)


def mark_entities(plain: str, spans: list[EntitySpan]) -> str:
    """Annotate plain text with entity spans, producing Rasa markup."""
    ordered = sorted(spans, key=lambda span: span.start)
    out: list[str] = []
    cursor = 0
    for span in ordered:
        if not 0 <= span.start < span.end <= len(plain):
            raise MarkupError(f"span {span.start}-{span.end} is outside the text")
        if span.start < cursor:
            raise MarkupError("entity spans overlap")
        value = plain[span.start : span.end]
        if value != value.strip() or any(char in value for char in "[]()"):
            raise MarkupError(f"cannot mark {value!r} as an entity")
        out.append(plain[cursor : span.start])
        out.append(f"[{value}]({span.entity})")
        cursor = span.end
    out.append(plain[cursor:])
    return "".join(out)
