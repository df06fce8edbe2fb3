"""`make run`'s mock brand page: the fake Graph API as a child, the connectors pointed at it."""

from __future__ import annotations

import pytest

from scripts.stack import DemoMeta, Ports, Stack, wants_demo_meta


def test_the_demo_gets_the_fake_unless_meta_is_configured_or_in_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("META_APP_SECRET", raising=False)
    monkeypatch.delenv("APP_ENV", raising=False)
    assert wants_demo_meta({})
    assert not wants_demo_meta({"META_APP_SECRET": "from-the-app-dashboard"})
    assert not wants_demo_meta({"APP_ENV": "production"})
    monkeypatch.setenv("META_APP_SECRET", "real")
    assert not wants_demo_meta({})


def test_the_fake_starts_first_and_the_connectors_point_at_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("META_APP_SECRET", raising=False)
    demo = DemoMeta(port=5199)
    stack = Stack(env={"RASA_TOKEN": "t", "DELIVERY_SIGNING_SECRET": "s"},
                  ports=Ports(rasa=5105, actions=5155, inbox=8100), demo_meta=demo)
    fake, *others = stack._plan()
    assert fake.name == "fake Graph API"
    assert fake.args[1:4] == ["-m", "demo.graph_api", "--port"]
    assert "http://127.0.0.1:5105/webhooks" in fake.args
    assert "http://127.0.0.1:8100" in fake.args  # only the demo page's origin may call it
    # Secrets never travel on the command line (visible in `ps`): only tokens the fake accepts.
    assert demo.app_secret not in fake.args
    env = stack._child_env()
    assert env["META_GRAPH_URL"] == "http://127.0.0.1:5199/v21.0"
    assert env["META_APP_SECRET"] == demo.app_secret
    assert env["INBOX_DEMO_GRAPH_URL"] == "http://127.0.0.1:5199"
    assert [p.name for p in others] == ["actions", "inbox", "training worker", "rasa"]
    # Configured settings win over the demo's.
    configured = Stack(env={"META_GRAPH_URL": "https://graph.facebook.com/v21.0"}, demo_meta=demo)
    assert configured._child_env()["META_GRAPH_URL"] == "https://graph.facebook.com/v21.0"
