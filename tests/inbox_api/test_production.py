"""Production mode refuses the demo's secrets and admin, and admits only configured origins."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from inbox_api.production import DEMO_ADMIN_EMAIL, ProductionRefused
from scripts.stack import DEMO_STAFF_EMAIL
from tests.inbox_api.conftest import RasaPeer, make_settings, start_inbox
from tests.inbox_api.staff.factories import make_staff

ROOT = Path(__file__).resolve().parents[2]
STRONG = {
    "jwt_secret": "j" * 40,
    "service_token": "s" * 40,
    "rasa_token": "r" * 40,
    "delivery_signing_secret": "d" * 40,
}


def _production(database_url: str, rasa_url: str, tmp_path: Path, **overrides: Any) -> Any:
    secrets = tmp_path / "secrets.env"
    secrets.write_text("RASA_TOKEN=generated-rasa-token-0123456789abcdefghijkl\n")
    values: dict[str, Any] = {**STRONG, "app_env": "production", "demo_secrets_file": secrets}
    values.update(overrides)
    return make_settings(database_url, rasa_url, **values)


async def test_production_refuses_the_demo_admin(
    database_url: str, rasa_peer: RasaPeer, tmp_path: Path
) -> None:
    demo, lifespan = await start_inbox(make_settings(database_url, rasa_peer.url))
    await make_staff(demo.runtime, email=DEMO_ADMIN_EMAIL, role="admin")
    await demo.client.aclose()
    await lifespan.__aexit__(None, None, None)
    with pytest.raises(ProductionRefused, match=f"the demo login {DEMO_ADMIN_EMAIL} is active"):
        await start_inbox(_production(database_url, rasa_peer.url, tmp_path))


async def test_production_refuses_generated_and_weak_secrets(
    database_url: str, rasa_peer: RasaPeer, tmp_path: Path
) -> None:
    settings = _production(
        database_url,
        rasa_peer.url,
        tmp_path,
        rasa_token="generated-rasa-token-0123456789abcdefghijkl",
        service_token="short",
        cors_origins="*",
    )
    with pytest.raises(ProductionRefused) as refused:
        await start_inbox(settings)
    message = refused.value.message
    assert "RASA_TOKEN is the demo secret generated in" in message
    assert "INBOX_SERVICE_TOKEN must be set to a secret of 32+ characters" in message
    assert "INBOX_CORS_ORIGINS must name the allowed origins, not *" in message
    assert "INBOX_JWT_SECRET" not in message


async def test_production_starts_clean_and_admits_only_configured_origins(
    database_url: str, rasa_peer: RasaPeer, tmp_path: Path
) -> None:
    settings = _production(
        database_url,
        rasa_peer.url,
        tmp_path,
        cors_origins="https://shop.example/, https://x.example",
    )
    assert settings.cors_origins == ["https://shop.example", "https://x.example"]
    inbox, lifespan = await start_inbox(settings)
    try:
        preflight = {"Access-Control-Request-Method": "POST"}
        allowed = await inbox.client.options(
            "/api/v1/auth/login", headers={**preflight, "Origin": "https://shop.example"}
        )
        assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
        other = await inbox.client.options(
            "/api/v1/auth/login", headers={**preflight, "Origin": "https://evil.example"}
        )
        assert "access-control-allow-origin" not in other.headers
    finally:
        await inbox.client.aclose()
        await lifespan.__aexit__(None, None, None)


def _cli(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("INBOX_", "DATABASE_URL"))}
    clean.pop("APP_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "inbox_api", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_first_admin_comes_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    assert _cli(["migrate"], DATABASE_URL=url).returncode == 0
    env = {"DATABASE_URL": url, "APP_ENV": "production", "INBOX_NEW_STAFF_PASSWORD": "p" * 16}
    demo = _cli(
        ["create-staff", "--email", DEMO_ADMIN_EMAIL, "--name", "D", "--role", "admin"], **env
    )
    assert demo.returncode == 1 and "is the demo login" in demo.stderr
    first = _cli(
        ["create-staff", "--email", "it@linde.nl", "--name", "IT", "--role", "admin"], **env
    )
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Created admin it@linde.nl")
    off = _cli(["disable-staff", "--email", "it@linde.nl"], **env)
    assert off.returncode == 0 and "their sessions have ended" in off.stdout
    # `make run` creates the login production refuses.
    assert DEMO_STAFF_EMAIL == DEMO_ADMIN_EMAIL

