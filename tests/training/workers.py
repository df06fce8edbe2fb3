"""A training worker running in the test's event loop, on the inbox database under test."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

from kit.database import create_engine
from training.job_queue import JobQueue
from training.settings import TrainingSettings
from training.worker import Worker, worker_alive

ROOT = Path(__file__).resolve().parents[2]


@contextlib.asynccontextmanager
async def running_worker(settings: TrainingSettings) -> AsyncIterator[Worker]:
    """`python -m training worker`'s loop as a task; stopped (and awaited) on exit."""
    engine = create_engine(settings.database_url)
    worker = Worker(settings, JobQueue(engine), model_poll_seconds=0.1, edit_poll_seconds=0.02)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        async with asyncio.timeout(30):
            ready = asyncio.create_task(worker.ready.wait())
            await asyncio.wait({ready, task}, return_when=asyncio.FIRST_COMPLETED)
            if task.done():
                ready.cancel()
                task.result()  # the worker failed to start: show why
        yield worker
    finally:
        stop.set()
        await task
        await engine.dispose()


@contextlib.asynccontextmanager
async def worker_process(settings: TrainingSettings) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m training worker` as make run starts it; SIGTERM on exit."""
    with tempfile.TemporaryFile() as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "training",
            "worker",
            cwd=ROOT,
            env=settings.child_environment(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        engine = create_engine(settings.database_url)
        try:
            queue = JobQueue(engine)
            async with asyncio.timeout(60):
                while not await worker_alive(queue, datetime.now(UTC)):
                    if process.returncode is not None:
                        log.seek(0)
                        raise RuntimeError(f"the worker exited: {log.read().decode()}")
                    await asyncio.sleep(0.2)
            yield process
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
                try:
                    async with asyncio.timeout(30):
                        await process.wait()
                except TimeoutError:
                    process.kill()
                    await process.wait()
            await engine.dispose()
