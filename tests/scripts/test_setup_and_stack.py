"""`make setup` and `make run` stop with one clear sentence on a broken machine."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from scripts.stack import ROOT, Ports, Stack, StackError, free_port, load_env_file


def run_setup(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "setup.sh")], env=env, capture_output=True, text=True,
        cwd=ROOT, timeout=120,
    )


def test_setup_names_the_options_when_no_python_310_exists(tmp_path: Path) -> None:
    # Only the system directories: no pyenv, no uv, no python3.10 on PATH.
    result = run_setup({"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode != 0
    message = result.stderr.strip()
    assert "Python 3.10" in message
    for option in ("RASA_PYTHON", "python3.10", "pyenv", "uv"):
        assert option in message
    assert "Traceback" not in result.stderr


def test_setup_refuses_a_rasa_python_that_is_not_310(tmp_path: Path) -> None:
    env = dict(os.environ, RASA_PYTHON="/bin/true")
    result = run_setup(env)
    assert result.returncode != 0
    assert "RASA_PYTHON=/bin/true is not a working Python 3.10" in result.stderr


def test_a_taken_port_is_named_with_the_variable_that_moves_it() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        stack = Stack(env={}, ports=Ports(rasa=free_port(), actions=port, inbox=free_port()))
        with pytest.raises(StackError, match=rf"Port {port} .*ACTIONS_PORT"):
            stack.check_ports()


def test_env_file_reads_keys_and_skips_comments(tmp_path: Path) -> None:
    path = tmp_path / "secrets.env"
    path.write_text("# local secrets\nRASA_TOKEN=abc=def\n\nEMPTY=\n")
    assert load_env_file(path) == {"RASA_TOKEN": "abc=def", "EMPTY": ""}
    assert load_env_file(tmp_path / "missing.env") == {}


def test_the_promoted_model_is_served_until_make_train_builds_a_newer_one(tmp_path: Path) -> None:
    from scripts.stack import serving_model

    trained = tmp_path / "current.tar.gz"
    trained.write_bytes(b"trained")
    assert serving_model(tmp_path) == trained

    registry_model = tmp_path / "registry" / "m1.tar.gz"
    registry_model.parent.mkdir()
    registry_model.write_bytes(b"promoted")
    os.utime(trained, (1_000, 1_000))
    (tmp_path / "active.tar.gz").symlink_to(registry_model)
    assert serving_model(tmp_path) == tmp_path / "active.tar.gz"

    # A later `make train` (new training data) wins over an older promotion.
    os.utime(trained, None)
    os.utime(tmp_path / "active.tar.gz", (2_000, 2_000), follow_symlinks=False)
    assert serving_model(tmp_path) == trained


@pytest.mark.parametrize("missing", ["RASA_TOKEN", "DELIVERY_SIGNING_SECRET"])
def test_the_stack_refuses_to_start_without_its_shared_secrets(
    missing: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(missing, raising=False)
    env = {"RASA_TOKEN": "t", "DELIVERY_SIGNING_SECRET": "s"}
    del env[missing]
    with pytest.raises(StackError, match=rf"{missing} is not set; run 'make setup'"):
        Stack(env=env)._plan()
