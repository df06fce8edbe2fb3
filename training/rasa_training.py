"""Running `rasa train` as a child process and reading its progress from the output."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from training.paths import ProjectPaths
from training.rasa_server import RasaError, log_tail, open_log, rasa_environment, stop_process

EPOCHS = re.compile(r"Epochs:\s+(\d+)%")
COMPONENT_DONE = re.compile(r"(?:Finished training|Restored) component '(\w+)'")
COMPONENT_START = re.compile(r"Starting to train component '(\w+)'")


def epoch_components(config: Path) -> list[str]:
    """Names of the pipeline components and policies that train in epochs (DIET, TED, ...)."""
    data = YAML(typ="safe", pure=True).load(config.read_text(encoding="utf-8")) or {}
    names: list[str] = []
    for entry in [*(data.get("pipeline") or []), *(data.get("policies") or [])]:
        if isinstance(entry, dict) and "epochs" in entry:
            names.append(str(entry["name"]).rsplit(".", 1)[-1])
    return names


@dataclass
class TrainingProgress:
    """What the output of `rasa train` says so far."""

    epoch_components: list[str]
    done: set[str] = field(default_factory=set)
    current: str | None = None
    percent: int = 0

    def feed(self, line: str) -> bool:
        """Read one output line; True when the progress changed."""
        if match := COMPONENT_START.search(line):
            self.current, self.percent = match.group(1), 0
            return True
        if match := COMPONENT_DONE.search(line):
            self.done.add(match.group(1))
            self.current, self.percent = None, 0
            return True
        if (match := EPOCHS.search(line)) and int(match.group(1)) != self.percent:
            self.percent = int(match.group(1))
            return True
        return False

    @property
    def fraction(self) -> float:
        """0..1 over the components that train in epochs."""
        total = len(self.epoch_components) or 1
        finished = len(self.done & set(self.epoch_components))
        running = self.percent / 100 if self.current in self.epoch_components else 0.0
        return min(1.0, (finished + running) / total)

    def describe(self) -> str:
        """A short line for the progress display."""
        if self.current in self.epoch_components:
            return f"{self.current} {self.percent}%"
        if self.current:
            return self.current
        return f"{len(self.done)} components trained"


async def run_rasa_train(
    paths: ProjectPaths,
    project: Path,
    out_dir: Path,
    model_name: str,
    log: Path,
    on_progress: Callable[[TrainingProgress], None],
) -> Path:
    """Train a model from the files in `project`; return the archive's path."""
    progress = TrainingProgress(epoch_components(project / "config.yml"))
    command = [
        str(paths.rasa_executable),
        "train",
        "--config",
        str(project / "config.yml"),
        "--domain",
        str(project / "domain.yml"),
        "--data",
        str(project / "data"),
        "--out",
        str(out_dir),
        "--fixed-model-name",
        model_name,
    ]
    process = await asyncio.create_subprocess_exec(
        *command,
        # The cache in `<root>/.rasa` makes retraining with unchanged components quick.
        cwd=paths.root,
        env=rasa_environment(paths),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        start_new_session=True,
    )
    assert process.stdout is not None
    try:
        with open_log(log) as log_handle:
            pending = ""
            while chunk := await process.stdout.read(4096):
                pending += chunk.decode("utf-8", errors="replace")
                # tqdm redraws with carriage returns: each redraw is a line for us.
                *lines, pending = re.split(r"[\r\n]", pending)
                for line in lines:
                    if not line.strip():
                        continue
                    if not EPOCHS.search(line):
                        log_handle.write(line.encode() + b"\n")
                    if progress.feed(line):
                        on_progress(progress)
                log_handle.flush()
            returncode = await process.wait()
    finally:
        await stop_process(process)
    model = out_dir / f"{model_name}.tar.gz"
    if returncode != 0 or not model.is_file():
        raise RasaError(f"rasa train failed with exit status {returncode}:\n{log_tail(log)}")
    return model
