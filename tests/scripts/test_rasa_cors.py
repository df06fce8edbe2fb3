"""Which browser origins `make run` lets call Rasa (`--cors`); the real server is in tests/e2e."""

from __future__ import annotations

import pytest

from scripts.stack import Ports, Stack, StackError


def test_by_default_only_the_inbox_page_may_call_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RASA_CORS_ORIGINS", raising=False)
    stack = Stack(env={}, ports=Ports(inbox=8123))
    assert stack.cors_origins() == ["http://127.0.0.1:8123", "http://localhost:8123"]


def test_configured_origins_replace_the_default() -> None:
    env = {"RASA_CORS_ORIGINS": "https://www.linde.example, https://shop.linde.example"}
    assert Stack(env=env).cors_origins() == [
        "https://www.linde.example", "https://shop.linde.example"
    ]


def test_any_origin_is_refused_with_a_reason() -> None:
    with pytest.raises(StackError, match="any web page"):
        Stack(env={"RASA_CORS_ORIGINS": "*"}).cors_origins()
