"""Gate, promote and roll back models: the decisions that change what the assistant runs."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx

from training.evaluation_sets import load_evaluation_sets
from training.gate import GateDecision, decide
from training.model_evaluation import evaluate_models
from training.paths import ProjectPaths
from training.rasa_server import RasaClient, RasaError
from training.registry import ModelRecord, ModelRegistry
from training.serving import LoadIntoRasa, ModelDelivery, ServedModels, trained_model_is_newer


class PromotionError(RuntimeError):
    """The model cannot be promoted or rolled back to (not a gate refusal)."""


@dataclass(frozen=True)
class PromotionResult:
    """What happened to a candidate."""

    promoted: bool
    decision: GateDecision
    record: ModelRecord


async def adopt_model_file(
    registry: ModelRegistry, source: Path, now: datetime
) -> ModelRecord:
    """Take a model trained outside the registry (`make train`) in as the one in service."""
    model_id = registry.new_id(now)
    folder = registry.folder(model_id)
    folder.mkdir(parents=True, exist_ok=True)
    # A copy: the original may be cleaned away, a rollback must still find it.
    shutil.copy2(source, folder / source.name)
    record = ModelRecord(
        id=model_id,
        created_at=now,
        data_fingerprint="unknown",
        model_file=f"{model_id}/{source.name}",
    )
    registry.save(record)
    registry.activate(record, "adopt", now)
    return registry.get(model_id)


async def adopt_running_model(
    paths: ProjectPaths, registry: ModelRegistry, rasa: RasaClient, now: datetime
) -> ModelRecord | None:
    """Take the model Rasa runs into the registry when none was promoted through it yet.

    `make train` writes models straight to `models/`; without this the first trainer
    candidate would have nothing to be compared with.
    """
    if registry.active_state().model_id is not None:
        return registry.active()
    try:
        status = await rasa.status()
    except (httpx.HTTPError, RasaError):
        return None
    name = Path(str(status.get("model_file") or "")).name
    source = paths.models / name
    if not name.endswith(".tar.gz") or not source.is_file():
        return None
    return await adopt_model_file(registry, source, now)


async def publish_serving_model(
    paths: ProjectPaths, registry: ModelRegistry, served: ServedModels, now: datetime
) -> ModelRecord | None:
    """At the worker's start (pull mode): serve the model `make run` would run.

    That is the promoted one, unless `make train` wrote a newer models/current.tar.gz, which
    is then adopted into the registry, as the first promotion would adopt it.
    """
    record = registry.active()
    if trained_model_is_newer(paths):
        record = await adopt_model_file(registry, paths.models / "current.tar.gz", now)
    if record is None:
        return None
    current = await served.serving()
    if (current or {}).get("model_id") != record.id or not await served.has_file(record.id):
        await served.serve(registry, record, now)
    return record


async def gate_candidate(
    paths: ProjectPaths,
    registry: ModelRegistry,
    candidate: ModelRecord,
    log: Path,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
) -> tuple[ModelRecord, GateDecision]:
    """Score the candidate (and, if needed, the active model) on today's sets; apply the gate."""
    sets = load_evaluation_sets(paths.heldout, paths.benchmarks)
    if not sets.heldout:
        raise PromotionError(f"no held-out examples under {paths.heldout}")
    key = sets.fingerprint
    active = registry.active()
    if active is not None and active.id == candidate.id:
        active = None
    unscored = [r for r in (candidate, active) if r is not None and key not in r.evaluations]
    scores = await evaluate_models(
        paths, [registry.model_path(r) for r in unscored], sets, log, on_progress
    )
    for record, evaluation in zip(unscored, scores, strict=True):
        record.evaluations[key] = evaluation
        registry.save(record)
    decision = decide(
        candidate.evaluations[key],
        active.evaluations[key] if active else None,
        baseline_model=active.id if active else None,
    )
    candidate = candidate.model_copy(update={"decision": decision})
    registry.save(candidate)
    return candidate, decision


async def promote_model(
    paths: ProjectPaths,
    registry: ModelRegistry,
    rasa: RasaClient,
    model_id: str,
    now: datetime,
    log: Path,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
    delivery: ModelDelivery | None = None,
) -> PromotionResult:
    """Promote a candidate if the gate lets it: into the running Rasa server, or every one.

    `delivery` puts it into service (default: `PUT /model` on `rasa`).
    """
    try:
        record = registry.get(model_id)
    except KeyError as exc:
        raise PromotionError(f"no model {model_id!r} in the registry") from exc
    current = registry.active() or await adopt_running_model(paths, registry, rasa, now)
    if current is not None and current.id == record.id:
        raise PromotionError(f"model {model_id} is already in service")
    record, decision = await gate_candidate(paths, registry, record, log, on_progress)
    if not decision.promote:
        record = record.model_copy(update={"status": "refused"})
        registry.save(record)
        return PromotionResult(False, decision, record)
    await (delivery or LoadIntoRasa(rasa)).deliver(registry, record, now)
    registry.activate(record, "promote", now)
    return PromotionResult(True, decision, registry.get(record.id))


async def rollback_model(
    registry: ModelRegistry,
    rasa: RasaClient,
    now: datetime,
    to: str | None = None,
    delivery: ModelDelivery | None = None,
) -> ModelRecord:
    """Put a previously promoted model back into service (the one before the current by default)."""
    if to is None:
        target = registry.previous()
        if target is None:
            raise PromotionError("there is no earlier model to roll back to")
    else:
        try:
            target = registry.get(to)
        except KeyError as exc:
            raise PromotionError(f"no model {to!r} in the registry") from exc
        if to not in {activation.model_id for activation in registry.active_state().history}:
            raise PromotionError(f"model {to} was never in service; promote it instead")
    await (delivery or LoadIntoRasa(rasa)).deliver(registry, target, now)
    registry.activate(target, "rollback", now)
    return registry.get(target.id)
