"""Review queue fixtures: the inbox app pointed at a copy of the NLU data in a tmp dir."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from inbox_api.nlu_review.deps import get_training_settings
from tests.inbox_api.conftest import Inbox
from tests.training.factories import make_project
from training.paths import ProjectPaths
from training.settings import TrainingSettings


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    """A Rasa project copy with the real domain and a few hand-written examples."""
    return make_project(tmp_path / "project")


@pytest.fixture
async def review(inbox: Inbox, project: ProjectPaths) -> AsyncIterator[Inbox]:
    """The inbox whose trainer endpoints edit `project` instead of the repository's data."""
    settings = TrainingSettings(
        root_dir=project.root,
        models_dir=project.models,
        heldout_dir=project.heldout,
        benchmarks_dir=project.benchmarks,
    )
    inbox.app.dependency_overrides[get_training_settings] = lambda: settings
    try:
        yield inbox
    finally:
        inbox.app.dependency_overrides.pop(get_training_settings, None)
