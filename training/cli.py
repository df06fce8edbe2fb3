"""Command line: `python -m training nlu add|validate|report|train|promote|rollback|...`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from training.examples import add_example, validate_data
from training.nlu_files import NluFileError
from training.parity import format_report, parity_report
from training.paths import LANGUAGES, ProjectPaths
from training.refusals import ExampleRefused
from training.settings import TrainingSettings

EXIT_OK = 0
EXIT_REFUSED = 1
EXIT_USAGE = 2


def _add(args: argparse.Namespace, paths: ProjectPaths) -> int:
    try:
        added = add_example(paths, args.intent, args.language, args.text)
    except ExampleRefused as refused:
        print(_t(args, "Refused:", "Geweigerd:"), file=sys.stderr)
        for refusal in refused.refusals:
            print(f"  [{refusal.code}] {refusal.message(args.ui)}", file=sys.stderr)
        return EXIT_REFUSED
    except NluFileError as exc:
        print(_t(args, "Not written: ", "Niet opgeslagen: ") + str(exc), file=sys.stderr)
        return EXIT_REFUSED
    where = added.path
    if where.is_relative_to(paths.root):
        where = where.relative_to(paths.root)
    print(
        _t(args, "Added to", "Toegevoegd aan")
        + f" {where}:{added.line} ({added.intent}, {added.language}): {added.text}"
    )
    return EXIT_OK


def _validate(args: argparse.Namespace, paths: ProjectPaths) -> int:
    try:
        problems = validate_data(paths)
    except NluFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    errors = [problem for problem in problems if problem.error]
    for problem in problems:
        level = "error" if problem.error else "warning"
        example = problem.example
        print(
            f"{example.where}: {level} [{problem.refusal.code}] "
            f"{example.intent}: {problem.refusal.message(args.ui)}"
        )
    print(
        _t(args, "{e} errors, {w} warnings", "{e} fouten, {w} waarschuwingen").format(
            e=len(errors), w=len(problems) - len(errors)
        )
    )
    return EXIT_REFUSED if errors else EXIT_OK


def _report(args: argparse.Namespace, paths: ProjectPaths) -> int:
    rows = parity_report(paths)
    print(format_report(rows))
    if args.strict and any(row.flagged for row in rows):
        return EXIT_REFUSED
    return EXIT_OK


def _t(args: argparse.Namespace, en: str, nl: str) -> str:
    return nl if args.ui == "nl" else en


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of `python -m training`."""
    parser = argparse.ArgumentParser(prog="python -m training", description=__doc__)
    parser.add_argument(
        "--ui", choices=LANGUAGES, default="en", help="language of messages (nl or en)"
    )
    groups = parser.add_subparsers(dest="group", required=True)
    nlu = groups.add_parser("nlu", help="NLU training data and models")
    commands = nlu.add_subparsers(dest="command", required=True)

    add = commands.add_parser("add", help="add one example, refused with a reason if unsafe")
    add.add_argument("--intent", required=True)
    add.add_argument("--language", required=True, help="nl or en")
    add.add_argument("text")
    add.set_defaults(handler=_add)

    validate = commands.add_parser("validate", help="check all examples against the rules")
    validate.set_defaults(handler=_validate)

    report = commands.add_parser("report", help="example counts per intent and language")
    report.add_argument("--strict", action="store_true", help="exit 1 when an intent is flagged")
    report.set_defaults(handler=_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; the exit status says whether it did what was asked."""
    args = build_parser().parse_args(argv)
    paths = TrainingSettings().paths()
    result: int = args.handler(args, paths)
    return result
