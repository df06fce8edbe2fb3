"""Configuration of the trainer tools (one Settings class; nothing else reads os.environ)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kit.database import DEFAULT_DATABASE_URL, normalise_database_url
from training.paths import ProjectPaths

ROOT = Path(__file__).resolve().parent.parent


class TrainingSettings(BaseSettings):
    """Settings of the trainer tools, read from TRAINING_* (and the shared RASA_*) variables."""

    model_config = SettingsConfigDict(env_prefix="TRAINING_", extra="ignore", populate_by_name=True)

    root_dir: Path = ROOT
    models_dir: Path | None = None
    heldout_dir: Path | None = None
    # shared/ lies beside the repository on every machine (dev, CI).
    benchmarks_dir: Path = ROOT.parent / "shared" / "benchmarks" / "out_of_scope"
    rasa_executable: Path = ROOT / ".venv-rasa" / "bin" / "rasa"
    rasa_url: str = Field(
        "http://127.0.0.1:5005", validation_alias=AliasChoices("TRAINING_RASA_URL", "RASA_URL")
    )
    rasa_token: str = Field("", validation_alias=AliasChoices("TRAINING_RASA_TOKEN", "RASA_TOKEN"))
    # More than 0: every Rasa process pulls the promoted model from the inbox that often
    # (training/serving.py); 0: promotion loads it into the one Rasa at rasa_url.
    model_pull_seconds: int = Field(
        0,
        ge=0,
        validation_alias=AliasChoices(
            "TRAINING_MODEL_PULL_SECONDS", "RASA_MODEL_PULL_SECONDS"
        ),
    )
    # The job queue lives in the inbox's database (the same DATABASE_URL).
    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices(
            "TRAINING_DATABASE_URL", "INBOX_DATABASE_URL", "DATABASE_URL"
        ),
        validate_default=True,
    )

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalise_database_url(value)

    def child_environment(self) -> dict[str, str]:
        """The environment of a job process: ours, with these settings spelled out."""
        paths = self.paths()
        env = dict(os.environ)
        env.update(
            TRAINING_ROOT_DIR=str(paths.root),
            TRAINING_MODELS_DIR=str(paths.models),
            TRAINING_HELDOUT_DIR=str(paths.heldout),
            TRAINING_BENCHMARKS_DIR=str(paths.benchmarks),
            TRAINING_RASA_EXECUTABLE=str(paths.rasa_executable),
            TRAINING_RASA_URL=self.rasa_url,
            TRAINING_RASA_TOKEN=self.rasa_token,
            TRAINING_MODEL_PULL_SECONDS=str(self.model_pull_seconds),
            TRAINING_DATABASE_URL=self.database_url,
        )
        return env

    def paths(self) -> ProjectPaths:
        """The file layout these settings point at."""
        return ProjectPaths.at(
            self.root_dir,
            models_dir=self.models_dir,
            heldout_dir=self.heldout_dir,
            benchmarks_dir=self.benchmarks_dir,
            rasa_executable=self.rasa_executable,
        )


@lru_cache
def get_settings() -> TrainingSettings:
    """The settings of this process, read once."""
    return TrainingSettings()
