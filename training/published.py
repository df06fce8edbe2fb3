"""What the worker publishes for the trainer page: the domain, example counts and the models.

The inbox reads these snapshots from the database instead of reading the project's files.
"""

from __future__ import annotations

from typing import Any

from training.domain import load_domain
from training.jobs import checks_out
from training.parity import ParityRow, parity_report
from training.paths import LANGUAGES, ProjectPaths
from training.registry import ModelRegistry


def domain_body(paths: ProjectPaths) -> dict[str, Any]:
    """Intents (that take examples), entities and languages to label with."""
    names = load_domain(paths.domain)
    return {
        "intents": sorted(names.trainable_intents),
        "entities": sorted(names.trainable_entities),
        "languages": list(LANGUAGES),
    }


def _parity_row(row: ParityRow) -> dict[str, Any]:
    return {
        "intent": row.intent,
        "counts": row.counts,
        "in_domain": row.in_domain,
        "short_languages": row.short_languages,
        "flagged": row.flagged,
    }


def parity_body(paths: ProjectPaths) -> list[dict[str, Any]]:
    """Example counts per intent and language."""
    return [_parity_row(row) for row in parity_report(paths)]


def count_added(
    body: list[dict[str, Any]], intent: str, language: str
) -> list[dict[str, Any]] | None:
    """The counts with one example added, without re-reading every file; None if not listed."""
    updated = []
    found = False
    for entry in body:
        if entry["intent"] == intent and language in entry["counts"]:
            counts = {**entry["counts"], language: entry["counts"][language] + 1}
            entry = _parity_row(ParityRow(intent, counts, bool(entry["in_domain"])))
            found = True
        updated.append(entry)
    return updated if found else None


def models_body(paths: ProjectPaths) -> list[dict[str, Any]]:
    """Every model, newest first, with its latest scores."""
    registry = ModelRegistry(paths.models)
    active = registry.active_state().model_id
    models = []
    for record in reversed(registry.all()):
        evaluation = list(record.evaluations.values())[-1] if record.evaluations else None
        models.append(
            {
                "id": record.id,
                "created_at": record.created_at.isoformat(),
                "status": record.status,
                "active": record.id == active,
                "data_fingerprint": record.data_fingerprint,
                # The archive's name, as Rasa's GET /status reports a model loaded from it.
                "file_name": record.model_file.rsplit("/", 1)[-1],
                "training_seconds": record.training_seconds,
                "macro_f1": {k: v.macro_f1 for k, v in evaluation.languages.items()}
                if evaluation
                else {},
                "rejection_rate": {k: v.rejection_rate for k, v in evaluation.benchmarks.items()}
                if evaluation
                else {},
                "checks": checks_out(record.decision),
            }
        )
    return models
