"""What the worker publishes for the trainer page."""

from __future__ import annotations

from pathlib import Path

from tests.training.factories import make_project
from training.examples import add_example
from training.published import count_added, parity_body


def test_counting_an_added_example_matches_recounting_the_files(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    before = parity_body(project)
    add_example(project, "order_status", "nl", "waar is mijn pakket nu")
    assert count_added(before, "order_status", "nl") == parity_body(project)
    assert count_added(before, "no_such_intent", "nl") is None
