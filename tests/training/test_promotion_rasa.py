"""Real training, evaluation and promotion against a real Rasa server (marker `rasa`).

A damaged data set must be refused by the gate while the good model keeps serving; a sound
candidate is swapped in under live traffic without losing a message; rollback restores the
previous model.
"""

from __future__ import annotations

import asyncio
import copy
import secrets
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.training.rasa_project import (
    RASA,
    TRAIN,
    make_rasa_project,
    nlu_yaml,
    production_rasa,
)
from training.jobs import Job, JobKind, JobReporter, run_job
from training.paths import ProjectPaths
from training.rasa_server import RasaClient
from training.registry import ModelRegistry

pytestmark = [
    pytest.mark.rasa,
    pytest.mark.redis,
    pytest.mark.skipif(not RASA.exists(), reason="the Rasa environment is not installed"),
]


async def run(paths: ProjectPaths, rasa: RasaClient, kind: JobKind, **fields: object) -> Job:
    """One model job, run here as the worker runs a claimed one."""
    now = datetime.now(UTC)
    job = Job.model_validate(
        {"id": f"test-{secrets.token_hex(3)}", "kind": kind, "created_at": now, "updated_at": now}
        | fields
    )
    return await run_job(paths, JobReporter(job, paths.models / "jobs"), rasa)


def write_training_data(paths: ProjectPaths, train: dict[str, dict[str, list[str]]]) -> None:
    for language, examples in train.items():
        (paths.nlu / language / "support.yml").write_text(nlu_yaml(examples), encoding="utf-8")


async def loaded_model(rasa: RasaClient) -> str:
    return str((await rasa.status())["model_file"])


async def test_gate_refuses_a_damaged_model_then_promotes_and_rolls_back(
    tmp_path: Path, redis_url: str
) -> None:
    paths = make_rasa_project(tmp_path / "project")
    registry = ModelRegistry(paths.models)
    async with production_rasa(tmp_path, redis_url) as rasa:
        good = await run(paths, rasa, "train", promote=True)
        assert good.status == "succeeded", good.error
        assert good.model_id is not None
        assert await loaded_model(rasa) == f"{good.model_id}.tar.gz"
        good_scores = next(iter(registry.get(good.model_id).evaluations.values()))
        assert good_scores.languages["en"].macro_f1 > 0.7
        assert good_scores.languages["nl"].macro_f1 > 0.7

        # Damage: every order question is labelled a price question, in both languages.
        damaged = copy.deepcopy(TRAIN)
        for language in damaged.values():
            language["product_price"] += language.pop("order_status")
        write_training_data(paths, damaged)
        worse = await run(paths, rasa, "train", promote=True)
        assert worse.status == "refused"
        assert worse.decision is not None and not worse.decision.promote
        failed = {(c.metric, c.name) for c in worse.decision.checks if not c.passed}
        assert {("macro_f1", "en"), ("macro_f1", "nl")} <= failed
        assert any("drops" in reason for reason in worse.decision.reasons("en"))
        assert any("daalt" in reason for reason in worse.decision.reasons("nl"))
        assert registry.get(worse.model_id or "").status == "refused"
        # The good model is still the one answering.
        assert registry.active().id == good.model_id  # type: ignore[union-attr]
        assert await loaded_model(rasa) == f"{good.model_id}.tar.gz"

        # A sound candidate is swapped in while a customer keeps writing.
        sound = copy.deepcopy(TRAIN)
        sound["en"]["order_status"].append("any news about my delivery")
        write_training_data(paths, sound)
        sent: list[str] = []
        answers: list[list[dict[str, object]]] = []
        stop = asyncio.Event()

        async def customer() -> None:
            texts = ["hello", "where is my order", "how much is this dress"]
            while not stop.is_set() or len(sent) < 3:
                text = texts[len(sent) % len(texts)]
                sent.append(text)
                answers.append(await rasa.send_message("swap-customer", text))

        chatting = asyncio.create_task(customer())
        swapped = await run(paths, rasa, "train", promote=True)
        before_swap_done = len(sent)
        await asyncio.sleep(1.0)
        stop.set()
        await chatting
        assert swapped.status == "succeeded", (swapped.error, swapped.message)
        assert await loaded_model(rasa) == f"{swapped.model_id}.tar.gz"
        assert before_swap_done > 3
        assert all(replies for replies in answers), "a message went unanswered"
        tracker = await rasa.tracker("swap-customer")
        said = [event["text"] for event in tracker["events"] if event["event"] == "user"]
        assert said == sent

        back = await run(paths, rasa, "rollback")
        assert back.status == "succeeded", back.error
        assert back.model_id == good.model_id
        assert await loaded_model(rasa) == f"{good.model_id}.tar.gz"
        assert registry.active().id == good.model_id  # type: ignore[union-attr]
