"""The rules for adding a training example, and the one function that writes it."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kit.personal_data import PLACEHOLDER
from training import refusals
from training.domain import DomainNames, load_domain
from training.language import detect_language
from training.markup import MarkupError, parse_markup
from training.nlu_files import (
    NluExample,
    append_intent,
    has_intent,
    insert_example,
    nlu_files,
    read_nlu_dir,
    write_atomically,
)
from training.normalise import normalise_text
from training.paths import LANGUAGES, ProjectPaths
from training.personal_data import find_personal_data
from training.refusals import ExampleRefused, Refusal

MAX_LENGTH = 500


@dataclass(frozen=True)
class AddedExample:
    """Where a new example was written."""

    intent: str
    language: str
    text: str
    path: Path
    line: int


def clean_text(text: str) -> str:
    """One line, single spaces, no control characters: the form examples are stored in."""
    visible = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char for char in text
    )
    return " ".join(visible.split())


def check_text(text: str, language: str, domain: DomainNames) -> list[Refusal]:
    """Refusals that depend on the text alone (length, markup, personal data, language)."""
    if not text:
        return [refusals.empty()]
    try:
        plain, entities = parse_markup(text)
    except MarkupError as exc:
        return [refusals.bad_markup(str(exc))]
    if not plain.strip():
        return [refusals.empty()]
    found: list[Refusal] = []
    if len(plain) > MAX_LENGTH:
        found.append(refusals.too_long(len(plain), MAX_LENGTH))
    for entity in entities:
        if entity.entity not in domain.trainable_entities:
            found.append(refusals.unknown_entity(entity.entity))
    for placeholder in PLACEHOLDER.findall(text):
        found.append(refusals.placeholder(placeholder))
    for finding in find_personal_data(text):
        if finding.kind == "order_number":
            found.append(refusals.order_number(finding.value))
        else:
            found.append(refusals.personal(finding.kind))
    detected = detect_language(text)
    if language in LANGUAGES and detected is not None and detected != language:
        found.append(refusals.wrong_language(language, detected))
    return found


def check_intent(intent: str, domain: DomainNames) -> list[Refusal]:
    """Refusals about the intent name."""
    if intent not in domain.intents:
        return [refusals.unknown_intent(intent)]
    if intent not in domain.trainable_intents:
        return [refusals.untrainable_intent(intent)]
    return []


def check_overlap(
    text: str, intent: str, language: str, existing: Iterable[NluExample]
) -> list[Refusal]:
    """Refusals for text that already exists (near-identically) as an example."""
    key = normalise_text(text)
    found: list[Refusal] = []
    for example in existing:
        if normalise_text(example.text) != key:
            continue
        if example.intent != intent:
            return [refusals.conflict(example.intent, example.text, example.where)]
        # "ok" may well be an example of `affirm` in both languages.
        if example.language == language and not found:
            found.append(refusals.duplicate(intent, example.text, example.where))
    return found


def check_example(
    paths: ProjectPaths, intent: str, language: str, text: str
) -> tuple[str, list[Refusal]]:
    """The cleaned text and every reason it would be refused (none means it can be added)."""
    cleaned = clean_text(text)
    domain = load_domain(paths.domain)
    found: list[Refusal] = []
    if language not in LANGUAGES:
        found.append(refusals.unknown_language(language))
    found.extend(check_intent(intent, domain))
    text_refusals = check_text(cleaned, language, domain)
    found.extend(text_refusals)
    if cleaned and not any(r.code == refusals.RefusalCode.EMPTY for r in text_refusals):
        found.extend(check_overlap(cleaned, intent, language, read_nlu_dir(paths.nlu)))
    return cleaned, found


def _target_file(paths: ProjectPaths, intent: str, language: str) -> Path:
    """The first file of the language that already has the intent, else `<intent>.yml`."""
    folder = paths.nlu / language
    for path, file_language in nlu_files(paths.nlu):
        if file_language == language and has_intent(path.read_text(encoding="utf-8"), intent):
            return path
    # A retrieval topic (faq/gift_cards) goes with its siblings, into faq.yml.
    return folder / f"{intent.split('/')[0]}.yml"


def add_example(paths: ProjectPaths, intent: str, language: str, text: str) -> AddedExample:
    """Check and write one example; raise `ExampleRefused` with every reason when it is not.

    One writer at a time: callers go through the job queue's "edit" lane (training/worker.py).
    """
    cleaned, found = check_example(paths, intent, language, text)
    if found:
        raise ExampleRefused(found)
    target = _target_file(paths, intent, language)
    source = target.read_text(encoding="utf-8") if target.exists() else ""
    if has_intent(source, intent, target.name):
        updated, line = insert_example(source, intent, cleaned, target.name)
    else:
        updated, line = append_intent(source, intent, cleaned, target.name)
    write_atomically(target, updated)
    return AddedExample(intent, language, cleaned, target, line)


@dataclass(frozen=True)
class Problem:
    """A rule an existing example breaks."""

    example: NluExample
    refusal: Refusal
    error: bool


def validate_data(paths: ProjectPaths) -> list[Problem]:
    """Check every example in data/nlu against the same rules as `add_example`."""
    domain = load_domain(paths.domain)
    examples = read_nlu_dir(paths.nlu)
    problems: list[Problem] = []
    by_text: dict[str, list[NluExample]] = defaultdict(list)
    for example in examples:
        for refusal in check_intent(example.intent, domain):
            problems.append(Problem(example, refusal, error=True))
        if example.language not in LANGUAGES:
            problems.append(Problem(example, refusals.unknown_language(example.language), True))
        for refusal in check_text(example.text, example.language, domain):
            problems.append(Problem(example, refusal, error=True))
        by_text[normalise_text(example.text)].append(example)
    for same in by_text.values():
        first = same[0]
        for other in same[1:]:
            if other.intent != first.intent:
                refusal = refusals.conflict(first.intent, first.text, first.where)
                problems.append(Problem(other, refusal, error=True))
            elif other.language == first.language:
                refusal = refusals.duplicate(first.intent, first.text, first.where)
                problems.append(Problem(other, refusal, error=False))
    return problems
