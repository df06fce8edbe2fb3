"""One fingerprint of everything a model is trained from, for `make train` and the registry.

Run as `python -m training.fingerprint [root]` it prints the full hash (scripts/train.sh
compares it with models/current.fingerprint). Python 3.10 compatible and standard library only,
so either environment can run it.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

# The inputs of a training, relative to the project root: Rasa's files, the training data,
# the custom components Rasa loads from bot/, and the locked Rasa dependencies.
INPUT_FILES = ("config.yml", "domain.yml", "requirements/rasa.lock")
INPUT_DIRS = ("data", "bot")


def _is_input(path: Path) -> bool:
    # Hidden files are editor and atomic-write leftovers; bytecode is rebuilt on import.
    return path.is_file() and not path.name.startswith(".") and path.suffix != ".pyc"


def training_files(root: Path) -> list[Path]:
    """Every input file under `root`, sorted by its path relative to the root."""
    files = [root / name for name in INPUT_FILES if (root / name).is_file()]
    for name in INPUT_DIRS:
        folder = root / name
        if folder.is_dir():
            files.extend(path for path in folder.rglob("*") if _is_input(path))
    return sorted(files, key=lambda path: path.relative_to(root).as_posix().encode())


def full_fingerprint(root: Path) -> str:
    """SHA-256 over `<sha256>  <path>` lines, as `sha256sum` prints them for each input."""
    digest = hashlib.sha256()
    for path in training_files(root):
        content = hashlib.sha256(path.read_bytes()).hexdigest()
        digest.update(f"{content}  {path.relative_to(root).as_posix()}\n".encode())
    return digest.hexdigest()


def data_fingerprint(root: Path) -> str:
    """The short form the model registry shows."""
    return full_fingerprint(root)[:16]


def main(argv: list[str]) -> int:
    """Print the fingerprint of the project at argv[0] (default: the current directory)."""
    root = Path(argv[0]) if argv else Path.cwd()
    print(full_fingerprint(root.resolve()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
