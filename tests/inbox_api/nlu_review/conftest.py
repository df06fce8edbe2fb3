"""Review queue fixtures: the inbox app and a training worker on a copy of the NLU data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.inbox_api.conftest import Inbox
from tests.training.factories import make_project
from tests.training.workers import running_worker
from training.paths import ProjectPaths
from training.settings import TrainingSettings


@pytest.fixture
def project(tmp_path: Path) -> ProjectPaths:
    """A Rasa project copy with the real domain and a few hand-written examples."""
    return make_project(tmp_path / "project")


def worker_settings(database_url: str, project: ProjectPaths) -> TrainingSettings:
    """A worker on `project` and the inbox's database."""
    return TrainingSettings(
        root_dir=project.root,
        models_dir=project.models,
        heldout_dir=project.heldout,
        benchmarks_dir=project.benchmarks,
        database_url=database_url,
    )


@pytest.fixture
async def review(inbox: Inbox, project: ProjectPaths) -> AsyncIterator[Inbox]:
    """The inbox, with a training worker that edits `project` instead of the repository's data."""
    settings = worker_settings(inbox.runtime.settings.database_url, project)
    async with running_worker(settings):
        yield inbox
