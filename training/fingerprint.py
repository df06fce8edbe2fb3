"""A short hash of everything a model is trained from."""

from __future__ import annotations

import hashlib
from pathlib import Path

from training.paths import ProjectPaths


def training_files(paths: ProjectPaths) -> list[Path]:
    """config.yml, domain.yml and every file under data/, in a stable order."""
    files = [path for path in (paths.config, paths.domain) if path.is_file()]
    files += sorted(
        path for path in paths.data.rglob("*") if path.is_file() and not path.name.startswith(".")
    )
    return files


def data_fingerprint(paths: ProjectPaths) -> str:
    """Changes whenever a training file's name or content does."""
    digest = hashlib.sha256()
    for path in training_files(paths):
        digest.update(path.relative_to(paths.root).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
