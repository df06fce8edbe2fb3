"""End to end: a question the assistant did not understand becomes a labelled example, a
retrain runs, the gate passes and the promoted model answers that question.

Real processes: a Rasa server (conversations in Redis), `python -m training worker` (runs every
job: the first model queued from the command line, the inbox's example edit and retrain) and the
inbox API (review queue, trainer endpoints), which only queues jobs and reads their state.
The action server's part (posting the escalation) is played by the test with the same body.
"""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from inbox_api.app import create_app
from inbox_api.migrate import upgrade_head
from tests.inbox_api.conftest import SERVICE_TOKEN, make_settings
from tests.inbox_api.staff.factories import login_headers, make_staff
from tests.inbox_api.tickets.factories import escalation
from tests.training.rasa_project import RASA, make_rasa_project, production_rasa
from tests.training.workers import worker_process
from training.paths import ProjectPaths
from training.rasa_server import RasaClient
from training.settings import TrainingSettings

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.rasa,
    pytest.mark.redis,
    pytest.mark.skipif(not RASA.exists(), reason="the Rasa environment is not installed"),
]

QUESTION = "mag ik een cadeau ruilen zonder bon"
LABEL = "return_policy"


def training_settings(paths: ProjectPaths, rasa: RasaClient, database_url: str) -> TrainingSettings:
    return TrainingSettings(
        database_url=database_url,
        root_dir=paths.root,
        models_dir=paths.models,
        heldout_dir=paths.heldout,
        benchmarks_dir=paths.benchmarks,
        rasa_executable=paths.rasa_executable,
        rasa_url=rasa.base_url,
        rasa_token=rasa.token,
    )


def cli(settings: TrainingSettings, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "training", *args],
        env=settings.child_environment(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@contextlib.asynccontextmanager
async def inbox_client(database_url: str, rasa: RasaClient) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        make_settings(database_url, rasa.base_url, rasa_token=rasa.token, run_workers=False)
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://inbox.test") as client:
            await make_staff(app.state.runtime, email="trainer@linde.test", role="trainer")
            yield client


async def test_unanswered_question_is_answered_after_labelling_and_retraining(
    tmp_path: Path, sqlite_url: str, redis_url: str
) -> None:
    paths = make_rasa_project(tmp_path / "project")
    await asyncio.to_thread(upgrade_head, sqlite_url)
    async with production_rasa(tmp_path, redis_url) as rasa:
        settings = training_settings(paths, rasa, sqlite_url)
        async with worker_process(settings):
            await _label_retrain_and_answer(settings, rasa, sqlite_url)


async def _label_retrain_and_answer(
    settings: TrainingSettings, rasa: RasaClient, sqlite_url: str
) -> None:
    # The first model, trained and promoted from the command line (the worker runs it).
    first = await asyncio.to_thread(cli, settings, "nlu", "train", "--promote")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "training" in first.stdout and "macro-F1 (nl)" in first.stdout
    assert "running the job here" not in first.stdout

    # A customer asks something the assistant does not understand.
    intent, confidence = await rasa.parse(QUESTION)
    assert intent != LABEL
    replies = await rasa.send_message("customer-1", QUESTION)
    assert [r.get("text") for r in replies] != ["returns"]

    async with inbox_client(sqlite_url, rasa) as inbox:
        body = escalation("customer-1", language="nl", reason="fallback", text=QUESTION)
        body["intents"] = [{"name": intent, "confidence": confidence}]
        escalated = await inbox.post(
            "/api/v1/escalations",
            json=body,
            headers={"Authorization": f"Bearer {SERVICE_TOKEN}"},
        )
        assert escalated.status_code == 201, escalated.text
        headers = await login_headers(inbox, "trainer@linde.test")
        items = (await inbox.get("/api/v1/review/items", headers=headers)).json()["items"]
        assert [(i["text"], i["predicted_intent"]) for i in items] == [(QUESTION, intent)]

        labelled_at = time.monotonic()
        labelled = await inbox.post(
            f"/api/v1/review/items/{items[0]['id']}/label",
            json={"intent": LABEL, "language": "nl"},
            headers=headers,
        )
        assert labelled.status_code == 200, labelled.text
        started = await inbox.post(
            "/api/v1/review/trainings", json={"promote": True}, headers=headers
        )
        assert started.status_code == 202
        job_id = started.json()["id"]
        seen_phases: list[str] = []
        async with asyncio.timeout(900):
            while True:
                job = (await inbox.get(f"/api/v1/review/jobs/{job_id}", headers=headers)).json()
                if not seen_phases or seen_phases[-1] != job["phase"]:
                    seen_phases.append(job["phase"])
                if job["status"] in ("succeeded", "refused", "failed"):
                    break
                await asyncio.sleep(0.5)
        promoted_after = time.monotonic() - labelled_at
        assert job["status"] == "succeeded", job
        assert {"training", "evaluating", "done"} <= set(seen_phases)
        assert all(check["passed"] for check in job["checks"])
        models = (await inbox.get("/api/v1/review/models", headers=headers)).json()
        assert [m["active"] for m in models] == [True, False]

    # The promoted model understands the question now, and the assistant answers it.
    assert (await rasa.status())["model_file"] == f"{job['model_id']}.tar.gz"
    assert (await rasa.parse(QUESTION))[0] == LABEL
    replies = await rasa.send_message("customer-2", QUESTION)
    assert [r.get("text") for r in replies] == ["returns"]
    print(f"\nlabel -> promoted model: {promoted_after:.1f} s (phases {seen_phases})")
