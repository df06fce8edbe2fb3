"""Dependencies of the review queue (tests swap them with dependency_overrides)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from inbox_api.deps import RuntimeDep, require_roles
from inbox_api.nlu_review.service import Editor
from inbox_api.staff.models import Staff


def get_editor(runtime: RuntimeDep) -> Editor:
    """Example edits go to the training worker, through the job queue in this database."""
    return Editor(runtime.sessions, runtime.settings.training_edit_wait_seconds)


EditorDep = Annotated[Editor, Depends(get_editor)]
# Labelling data and changing models: trainers and admins.
Trainer = Annotated[Staff, require_roles("trainer", "admin")]
# Suggesting an intent when resolving a ticket: whoever works tickets (and trainers).
Suggester = Annotated[Staff, require_roles("agent", "trainer", "admin")]
