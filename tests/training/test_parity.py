"""Parity report: counts per intent and language, flags below 25 in either language."""

from __future__ import annotations

from pathlib import Path

from tests.training.factories import make_project
from training.parity import MIN_EXAMPLES, format_report, parity_report


def test_counts_and_flags(tmp_path: Path) -> None:
    paths = make_project(tmp_path / "project")
    many_en = "\n".join(f"    - thanks a lot number {i}" for i in range(MIN_EXAMPLES))
    many_nl = "\n".join(f"    - heel erg bedankt nummer {i}" for i in range(MIN_EXAMPLES - 1))
    (paths.nlu / "en" / "thank.yml").write_text(
        f"nlu:\n- intent: thank\n  examples: |\n{many_en}\n", encoding="utf-8"
    )
    (paths.nlu / "nl" / "thank.yml").write_text(
        f"nlu:\n- intent: thank\n  examples: |\n{many_nl}\n    - dank je\n"
        "- intent: say_hi\n  examples: |\n    - hoi\n",
        encoding="utf-8",
    )
    rows = {row.intent: row for row in parity_report(paths)}
    assert rows["thank"].counts == {"nl": 25, "en": 25}
    assert not rows["thank"].flagged
    assert rows["product_price"].counts == {"nl": 2, "en": 4}
    assert rows["product_price"].short_languages == ["nl", "en"]
    assert rows["event_signup"].counts == {"nl": 0, "en": 0} and rows["event_signup"].flagged
    assert not rows["say_hi"].in_domain and rows["say_hi"].flagged
    assert "nlu_fallback" not in rows and "EXTERNAL_handback" not in rows

    table = {
        line.split()[0]: line.split()[1:]
        for line in format_report(list(rows.values())).splitlines()
    }
    assert table["product_price"] == ["2", "4", "<", "25", "in", "nl,", "en"]
    assert table["say_hi"] == ["1", "0", "not", "in", "domain"]
    assert table["thank"] == ["25", "25"]
    # The summary counts every intent of the real domain (it grows with the product).
    flagged = sum(row.flagged for row in rows.values())
    assert table[str(len(rows))] == [
        "intents,", str(flagged), "flagged", "(minimum", "25", "per", "language)"
    ]
    assert 0 < flagged < len(rows)
