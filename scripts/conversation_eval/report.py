"""Scores per language, part and flow, written to reports/conversations/ as JSON and markdown."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scripts.conversation_eval.cases import ROOT
from scripts.conversation_eval.player import ConversationResult

REPORT_DIR = ROOT / "reports" / "conversations"
TARGET_TURNS = 0.95  # issue 13: held-out turns correct per language


def _share(passed: int, total: int) -> float | None:
    return round(passed / total, 4) if total else None


def score(results: Iterable[ConversationResult]) -> dict[str, Any]:
    """Turns and conversations passed, out of how many, and the shares."""
    results = list(results)
    turns = [t for r in results for t in r.turns]
    turns_passed = sum(t.passed for t in turns)
    conversations_passed = sum(r.passed for r in results)
    return {
        "turns": len(turns),
        "turns_passed": turns_passed,
        "turn_success": _share(turns_passed, len(turns)),
        "conversations": len(results),
        "conversations_passed": conversations_passed,
        "conversation_success": _share(conversations_passed, len(results)),
    }


def _grouped(
    results: Sequence[ConversationResult], *keys: str
) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[ConversationResult]] = defaultdict(list)
    for result in results:
        name = "/".join(str(getattr(result.conversation, key)) for key in keys)
        groups[name].append(result)
    return {name: score(group) for name, group in sorted(groups.items())}


def summary(results: Sequence[ConversationResult], seconds: float) -> dict[str, Any]:
    """The whole report as one JSON-ready dict."""
    failures = [
        {
            "conversation": r.conversation.id,
            "part": r.conversation.part,
            "language": r.conversation.language,
            "flow": r.conversation.flow,
            "file": r.conversation.path,
            "sender": r.sender,
            "turn": t.index,
            "user": t.user[:300],
            "replies": list(t.replies),
            "buttons": list(t.buttons),
            "problems": list(t.problems),
        }
        for r in results
        for t in r.turns
        if not t.passed
    ]
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 1),
        "target_turn_success_heldout": TARGET_TURNS,
        "overall": score(results),
        "by_part_language": _grouped(results, "part", "language"),
        "by_language": _grouped(results, "language"),
        "by_part_language_flow": _grouped(results, "part", "language", "flow"),
        "by_flow": _grouped(results, "flow"),
        "failures": failures,
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _table(rows: dict[str, dict[str, Any]], first: str) -> list[str]:
    lines = [
        f"| {first} | turns | turn success | conversations | conversation success |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, s in rows.items():
        lines.append(
            f"| {name} | {s['turns_passed']}/{s['turns']} | {_pct(s['turn_success'])} | "
            f"{s['conversations_passed']}/{s['conversations']} | "
            f"{_pct(s['conversation_success'])} |"
        )
    return lines


def _quote(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")[:400]


def markdown(report: dict[str, Any]) -> str:
    """The readable summary: the tables, then every failing turn with what came back."""
    lines = [
        "# Conversation evaluation",
        "",
        f"Generated {report['generated_at']} in {report['seconds']} s by "
        "`make eval-conversations`. Target (issue 13): held-out turns ≥ "
        f"{_pct(report['target_turn_success_heldout'])} per language, Dutch within 2 points "
        "of English.",
        "",
        "## By part and language",
        "",
        *_table(report["by_part_language"], "part/language"),
        "",
        "## By part, language and flow",
        "",
        *_table(report["by_part_language_flow"], "part/language/flow"),
        "",
        f"## Failing turns ({len(report['failures'])})",
        "",
    ]
    for failure in report["failures"]:
        lines += [
            f"### {failure['part']}/{failure['language']} `{failure['conversation']}` "
            f"turn {failure['turn']} ({failure['flow']})",
            "",
            f"- customer: {_quote(failure['user'])}",
            *[f"- assistant: {_quote(text)}" for text in failure["replies"]],
            *(
                [f"- buttons: {_quote(' · '.join(failure['buttons']))}"]
                if failure["buttons"]
                else []
            ),
            *[f"- **{problem}**" for problem in failure["problems"]],
            "",
        ]
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], folder: Path = REPORT_DIR) -> tuple[Path, Path]:
    """reports/conversations/report.json and summary.md."""
    folder.mkdir(parents=True, exist_ok=True)
    json_path = folder / "report.json"
    md_path = folder / "summary.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    md_path.write_text(markdown(report), encoding="utf-8")
    return json_path, md_path


def headline(report: dict[str, Any]) -> str:
    """A few lines for the terminal: turns and conversations per part and language."""
    lines = ["conversation evaluation (reports/conversations/summary.md):"]
    for name, s in report["by_part_language"].items():
        lines.append(
            f"  {name:<12} turns {s['turns_passed']:>3}/{s['turns']:<3} "
            f"{_pct(s['turn_success']):>6}"
            f"   conversations {s['conversations_passed']:>3}/{s['conversations']:<3} "
            f"{_pct(s['conversation_success']):>6}"
        )
    return "\n".join(lines)
