"""Every trained model, kept with its metrics, data fingerprint and promotion history."""

from __future__ import annotations

import json
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from training.evaluation import Evaluation
from training.gate import GateDecision

ModelStatus = Literal["candidate", "promoted", "refused", "retired"]
# "adopt": a model Rasa was already running (trained outside the registry) taken in as is.
ActivationKind = Literal["promote", "rollback", "adopt"]


class ModelRecord(BaseModel):
    """One trained model."""

    id: str
    created_at: datetime
    data_fingerprint: str
    model_file: str  # relative to the registry folder
    status: ModelStatus = "candidate"
    training_seconds: float | None = None
    # Scores per evaluation-set fingerprint: sets grow, and a gate compares like with like.
    evaluations: dict[str, Evaluation] = {}
    decision: GateDecision | None = None


class Activation(BaseModel):
    """One change of the model the Rasa server runs."""

    model_id: str
    at: datetime
    action: ActivationKind


class ActiveState(BaseModel):
    """The model in service and how it got there."""

    model_id: str | None = None
    history: list[Activation] = []


def _write_json(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


class ModelRegistry:
    """The `models/registry/` folder: one sub-folder per model, plus `active.json`."""

    def __init__(self, models_dir: Path) -> None:
        self.root = models_dir / "registry"

    def new_id(self, now: datetime) -> str:
        """A sortable, unique model id."""
        return now.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)

    def folder(self, model_id: str) -> Path:
        """Where one model's files live."""
        if "/" in model_id or model_id.startswith("."):
            raise KeyError(model_id)
        return self.root / model_id

    def model_path(self, record: ModelRecord) -> Path:
        """The absolute path of a model's archive."""
        return self.root / record.model_file

    def save(self, record: ModelRecord) -> None:
        """Write a model's record."""
        folder = self.folder(record.id)
        folder.mkdir(parents=True, exist_ok=True)
        _write_json(folder / "model.json", record.model_dump_json(indent=2))

    def get(self, model_id: str) -> ModelRecord:
        """One model's record; KeyError when there is none."""
        path = self.folder(model_id) / "model.json"
        if not path.is_file():
            raise KeyError(model_id)
        return ModelRecord.model_validate_json(path.read_text(encoding="utf-8"))

    def all(self) -> list[ModelRecord]:
        """Every model, oldest first."""
        if not self.root.is_dir():
            return []
        records = [
            ModelRecord.model_validate_json(path.read_text(encoding="utf-8"))
            for path in self.root.glob("*/model.json")
        ]
        return sorted(records, key=lambda record: (record.created_at, record.id))

    def active_state(self) -> ActiveState:
        """Which model is in service."""
        path = self.root / "active.json"
        if not path.is_file():
            return ActiveState()
        return ActiveState.model_validate_json(path.read_text(encoding="utf-8"))

    def active(self) -> ModelRecord | None:
        """The model in service, if any was promoted."""
        state = self.active_state()
        return self.get(state.model_id) if state.model_id else None

    def activate(self, record: ModelRecord, action: ActivationKind, now: datetime) -> None:
        """Record that `record` is now in service; the one before it is retired."""
        state = self.active_state()
        if state.model_id and state.model_id != record.id:
            previous = self.get(state.model_id)
            self.save(previous.model_copy(update={"status": "retired"}))
        self.save(record.model_copy(update={"status": "promoted"}))
        state.model_id = record.id
        state.history.append(Activation(model_id=record.id, at=now, action=action))
        self.root.mkdir(parents=True, exist_ok=True)
        _write_json(self.root / "active.json", state.model_dump_json(indent=2))
        # `rasa run --model models/active.tar.gz` starts with the promoted model.
        link = self.root.parent / "active.tar.gz"
        tmp = link.with_name(f".active.{secrets.token_hex(4)}.tmp")
        os.symlink(self.model_path(record), tmp)
        os.replace(tmp, link)

    def stack(self) -> list[str]:
        """Models in service, oldest first: a promotion pushes, a rollback returns to one."""
        stack: list[str] = []
        for activation in self.active_state().history:
            if activation.action == "rollback" and activation.model_id in stack:
                del stack[stack.index(activation.model_id) + 1 :]
            else:
                stack.append(activation.model_id)
        return stack

    def previous(self) -> ModelRecord | None:
        """The model that was in service before the current one (the rollback target)."""
        stack = self.stack()
        return self.get(stack[-2]) if len(stack) >= 2 else None


def evaluation_for(record: ModelRecord, testset_fingerprint: str) -> Evaluation | None:
    """A model's scores on one version of the evaluation sets, if it was scored on it."""
    return record.evaluations.get(testset_fingerprint)


def dump(record: ModelRecord) -> str:
    """A record as JSON (for the command line)."""
    return json.dumps(record.model_dump(mode="json"), indent=2)
