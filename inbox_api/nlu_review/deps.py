"""Dependencies of the review queue (tests swap them with dependency_overrides)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from inbox_api.deps import SettingsDep, require_roles
from inbox_api.staff.models import Staff
from training.settings import TrainingSettings


def get_training_settings(settings: SettingsDep) -> TrainingSettings:
    """Where the NLU data and models live; Rasa's address and token are the inbox's own."""
    return TrainingSettings(rasa_url=settings.rasa_url, rasa_token=settings.rasa_token)


TrainingDep = Annotated[TrainingSettings, Depends(get_training_settings)]
# Labelling data and changing models: trainers and admins.
Trainer = Annotated[Staff, require_roles("trainer", "admin")]
# Suggesting an intent when resolving a ticket: whoever works tickets (and trainers).
Suggester = Annotated[Staff, require_roles("agent", "trainer", "admin")]
