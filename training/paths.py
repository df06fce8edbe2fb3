"""Where a Rasa project keeps its files; tests point this at a copy in a tmp dir."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("nl", "en")


@dataclass(frozen=True)
class ProjectPaths:
    """The files of one Rasa project as the trainer tools see them."""

    root: Path
    domain: Path
    config: Path
    data: Path
    models: Path
    heldout: Path
    benchmarks: Path
    rasa_executable: Path

    @property
    def nlu(self) -> Path:
        """The NLU data, one folder per language."""
        return self.data / "nlu"

    @classmethod
    def at(
        cls,
        root: Path,
        *,
        models_dir: Path | None = None,
        heldout_dir: Path | None = None,
        benchmarks_dir: Path | None = None,
        rasa_executable: Path | None = None,
    ) -> ProjectPaths:
        """The conventional layout under `root`, with optional overrides."""
        return cls(
            root=root,
            domain=root / "domain.yml",
            config=root / "config.yml",
            data=root / "data",
            models=models_dir or root / "models",
            heldout=heldout_dir or root / "tests" / "nlu",
            benchmarks=benchmarks_dir or root.parent / "shared" / "benchmarks" / "out_of_scope",
            rasa_executable=rasa_executable or root / ".venv-rasa" / "bin" / "rasa",
        )
