"""`make run`'s stack includes the training worker: the trainer page's data comes from it."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.e2e.conftest import RunningStack
from tests.e2e.test_support_loop import staff_token

pytestmark = pytest.mark.e2e


async def test_the_stacks_training_worker_serves_the_trainer_page(stack: RunningStack) -> None:
    async with httpx.AsyncClient(base_url=stack.inbox_url, timeout=30) as client:
        headers = {"Authorization": f"Bearer {await staff_token(client, stack)}"}
        async with asyncio.timeout(60):
            while True:
                domain = await client.get("/api/v1/review/domain", headers=headers)
                # 503 until the worker has published its first snapshot.
                if domain.status_code != 503:
                    break
                await asyncio.sleep(0.5)
        assert domain.status_code == 200, domain.text
        assert "order_status" in domain.json()["intents"]
        parity = await client.get("/api/v1/review/parity", headers=headers)
        assert parity.status_code == 200 and parity.json()
        jobs = await client.get("/api/v1/review/jobs", headers=headers)
        assert jobs.status_code == 200
