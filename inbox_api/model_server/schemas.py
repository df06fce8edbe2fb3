"""What the model server's endpoints answer."""

from __future__ import annotations

from pydantic import BaseModel


class ReplicaOut(BaseModel):
    """One Rasa process and the model it reports (GET /status)."""

    url: str
    reachable: bool
    # The registry's id of the model it runs, when it is one of the registry's.
    model: str | None = None
    # What Rasa itself says: its archive's name and the model's training id.
    model_file: str | None = None
    rasa_model_id: str | None = None
    # Whether it runs the model the model server hands out (None: no model is served).
    current: bool | None = None
    error: str | None = None


class ServingOut(BaseModel):
    """The model every Rasa process should run, and which one each runs."""

    # False: the one Rasa at RASA_URL is loaded directly by each promotion (PUT /model).
    pull: bool
    serving: str | None
    replicas: list[ReplicaOut]
