"""Read and extend Rasa NLU YAML files line by line, so every other byte stays as it was."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError


@dataclass(frozen=True)
class NluExample:
    """One training example as it stands in a file."""

    intent: str
    text: str
    language: str
    path: Path
    line: int  # 1-based, for messages a person reads

    @property
    def where(self) -> str:
        """`file:line` for messages."""
        return f"{self.path.parent.name}/{self.path.name}:{self.line}"


@dataclass(frozen=True)
class _Block:
    """Where the `examples: |` block of one intent item sits (0-based lines)."""

    intent: str
    header: int  # the `examples: |` line
    key_column: int
    content: list[int]  # lines inside the block, blank ones included


class NluFileError(ValueError):
    """A file cannot be read as Rasa NLU data, or cannot be extended safely."""


def _load_roundtrip(source: str, name: str) -> Any:
    try:
        return YAML(typ="rt", pure=True).load(source)
    except YAMLError as exc:
        raise NluFileError(f"{name}: not valid YAML ({exc.__class__.__name__})") from exc


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _blocks(source: str, name: str) -> list[_Block]:
    data = _load_roundtrip(source, name)
    if not isinstance(data, dict) or not isinstance(data.get("nlu"), list):
        return []
    lines = source.splitlines()
    blocks: list[_Block] = []
    for item in data["nlu"]:
        if not isinstance(item, CommentedMap) or "intent" not in item or "examples" not in item:
            continue
        if not isinstance(item["examples"], str):
            continue  # the list-of-dicts layout with metadata is not edited here
        header, key_column = item.lc.key("examples")
        _, value_column = item.lc.value("examples")
        if not lines[header][value_column:].lstrip().startswith("|"):
            continue  # only literal blocks keep one example per line
        content: list[int] = []
        for number in range(header + 1, len(lines)):
            line = lines[number]
            if line.strip() and _indent(line) <= key_column:
                break
            content.append(number)
        blocks.append(_Block(str(item["intent"]), header, key_column, content))
    return blocks


def _example_text(line: str) -> str | None:
    stripped = line.strip()
    if not stripped.startswith("-"):
        return None
    return stripped[1:].strip()


def read_nlu_source(source: str, path: Path, language: str) -> list[NluExample]:
    """Every example of every intent in one file's text."""
    lines = source.splitlines()
    examples: list[NluExample] = []
    for block in _blocks(source, path.name):
        for number in block.content:
            text = _example_text(lines[number])
            if text:
                examples.append(NluExample(block.intent, text, language, path, number + 1))
    return examples


def nlu_files(nlu_dir: Path) -> Iterator[tuple[Path, str]]:
    """Each YAML file under data/nlu with the language its folder names ("" at the top)."""
    for path in sorted([*nlu_dir.rglob("*.yml"), *nlu_dir.rglob("*.yaml")]):
        relative = path.relative_to(nlu_dir)
        yield path, relative.parts[0] if len(relative.parts) > 1 else ""


def read_nlu_dir(nlu_dir: Path) -> list[NluExample]:
    """Every example under data/nlu."""
    examples: list[NluExample] = []
    for path, language in nlu_files(nlu_dir):
        examples.extend(read_nlu_source(path.read_text(encoding="utf-8"), path, language))
    return examples


def has_intent(source: str, intent: str, name: str = "file") -> bool:
    """Whether the file has an editable examples block for the intent."""
    return any(block.intent == intent for block in _blocks(source, name))


def _line_ending(line: str) -> str:
    return "\r\n" if line.endswith("\r\n") else "\n"


def insert_example(source: str, intent: str, text: str, name: str = "file") -> tuple[str, int]:
    """Add `- text` at the end of the intent's first examples block: (new source, 1-based line)."""
    block = next((b for b in _blocks(source, name) if b.intent == intent), None)
    if block is None:
        raise NluFileError(f"{name}: no examples block for intent {intent!r}")
    lines = source.splitlines(keepends=True)
    filled = [number for number in block.content if lines[number].strip()]
    if filled:
        after = filled[-1]
        indent = _indent(lines[filled[0]])
    else:
        after = block.header
        indent = block.key_column + 2
    ending = _line_ending(lines[after])
    new_line = " " * indent + f"- {text}"
    if lines[after].endswith(("\n", "\r")):
        new_line += ending
    else:
        # The file ended without a newline: it still does, after the added line.
        lines[after] += ending
    lines.insert(after + 1, new_line)
    updated = "".join(lines)
    expected = _examples_by_intent(source, name)
    position = next(i for i, (found, _) in enumerate(expected) if found == intent)
    expected[position] = (intent, [*expected[position][1], text])
    _check_only_added(source, updated, expected, name)
    return updated, after + 2


def append_intent(source: str, intent: str, text: str, name: str = "file") -> tuple[str, int]:
    """Add a new `- intent:` item with one example at the end of a file (or a new file)."""
    if not source.strip():
        updated = f'version: "3.1"\nnlu:\n- intent: {intent}\n  examples: |\n    - {text}\n'
        return updated, 5
    data = _load_roundtrip(source, name)
    if not isinstance(data, dict) or "nlu" not in data:
        raise NluFileError(f"{name}: has no `nlu:` list")
    prefix = "" if source.endswith("\n") else "\n"
    column = data["nlu"].lc.col if data["nlu"] else 0
    pad = " " * column
    addition = f"{pad}- intent: {intent}\n{pad}  examples: |\n{pad}    - {text}\n"
    updated = source + prefix + addition
    expected = [*_examples_by_intent(source, name), (intent, [text])]
    _check_only_added(source, updated, expected, name)
    return updated, updated.count("\n")


def _examples_by_intent(source: str, name: str) -> list[tuple[str, list[str]]]:
    lines = source.splitlines()
    result: list[tuple[str, list[str]]] = []
    for block in _blocks(source, name):
        texts = [_example_text(lines[number]) for number in block.content]
        result.append((block.intent, [text for text in texts if text]))
    return result


def _shape(source: str, name: str) -> Any:
    """The parsed file with example strings blanked out: everything an edit must not touch."""
    try:
        data = YAML(typ="safe", pure=True).load(source) or {}
    except YAMLError as exc:
        raise NluFileError(f"{name}: the edit would break the file") from exc
    if isinstance(data, dict) and isinstance(data.get("nlu"), list):
        data["nlu"] = [
            {**item, "examples": None}
            if isinstance(item, dict) and "intent" in item and isinstance(item.get("examples"), str)
            else item
            for item in data["nlu"]
        ]
    return data


def _check_only_added(
    before: str, after: str, expected: list[tuple[str, list[str]]], name: str
) -> None:
    """Safety net: the edited file parses and differs from the old one only as expected."""
    old_shape, new_shape = _shape(before, name), _shape(after, name)
    if len(new_shape.get("nlu", [])) > len(old_shape.get("nlu", [])):
        old_shape["nlu"] = [*old_shape["nlu"], new_shape["nlu"][-1]]
    if old_shape != new_shape or _examples_by_intent(after, name) != expected:
        raise NluFileError(f"{name}: the edit would change more than the added example")


def write_atomically(path: Path, content: str) -> None:
    """Replace the file in one step, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(content)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
