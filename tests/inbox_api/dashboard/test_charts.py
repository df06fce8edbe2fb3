"""Server-drawn charts: valid SVG, every label escaped, every mark carrying its number."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from inbox_api.dashboard import charts
from inbox_api.dashboard.service import first_response_bucket

SVG = "{http://www.w3.org/2000/svg}"


def test_bar_chart_marks_carry_series_label_and_value() -> None:
    svg = charts.bar_chart("Tickets", ["nl", "en"], {"open": [3, 1], "done": [0, 2]})
    root = ET.fromstring(svg)
    bars = [
        (b.get("data-series"), b.get("data-label"), b.get("data-value"))
        for b in root.iter(f"{SVG}rect")
        if b.get("class") == "bar"
    ]
    assert bars == [
        ("open", "nl", "3"),
        ("open", "en", "1"),
        ("done", "nl", "0"),
        ("done", "en", "2"),
    ]
    heights = {
        b.get("data-value"): float(b.get("height") or 0)
        for b in root.iter(f"{SVG}rect")
        if b.get("class") == "bar"
    }
    # Bars scale with their values (3 is three times 1).
    assert abs(heights["3"] - 3 * heights["1"]) < 0.2


def test_labels_are_escaped_never_markup() -> None:
    name = '<script>alert(1)</script> & "x"'
    svg = charts.bar_chart(name, [name], {name: [1]})
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}script") is None
    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == name  # type: ignore[union-attr]


def test_line_chart_leaves_gaps_for_days_without_data() -> None:
    svg = charts.line_chart(
        "SLA",
        ["01", "02", "03", "04"],
        {"met": [1.0, None, 0.5, 0.75]},
        y_max=1.0,
        fmt=charts.percent,
    )
    root = ET.fromstring(svg)
    points = [p.get("data-value") for p in root.iter(f"{SVG}circle")]
    assert points == ["1.0", "0.5", "0.75"]
    paths = [p.get("d") for p in root.iter(f"{SVG}path")]
    # Two segments: before and after the missing day.
    assert len(paths) == 2 and paths[0].count("L") == 0 and paths[1].count("L") == 1  # type: ignore[union-attr]


def test_an_empty_chart_says_so() -> None:
    root = ET.fromstring(charts.line_chart("CSAT", ["01"], {"x": [None]}))
    assert [t.get("class") for t in root.iter(f"{SVG}text") if t.get("class")] == ["empty"]


def test_first_response_buckets() -> None:
    assert first_response_bucket(None) == "–"
    assert first_response_bucket(15) == "≤15m"
    assert first_response_bucket(16) == "≤30m"
    assert first_response_bucket(480) == "≤8h"
    assert first_response_bucket(481) == ">8h"
