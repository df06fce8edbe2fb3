"""Production mode (APP_ENV=production): no generated demo secrets, no demo admin, tight CORS.

`make run` is the demo: it generates local secrets (var/secrets.env) and an admin login it
prints on the terminal. A production deployment must never run on either, so the inbox refuses
to start in production mode while one of them is in use, and says what to do instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from sqlalchemy import select

from inbox_api.errors import InboxError
from inbox_api.runtime import Runtime
from inbox_api.settings import Settings
from inbox_api.staff.models import Staff

# The admin login `make run` creates for the demo.
DEMO_ADMIN_EMAIL = "demo@linde.example"
MIN_SECRET_CHARS = 32


class ProductionRefused(InboxError):
    """Production mode found a demo secret, the demo admin or an open CORS setting."""

    status_code = 500


def read_generated_secrets(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of the secrets file `make setup` writes (no file: nothing)."""
    if not path.is_file():
        return {}
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and not key.startswith("#"):
            values[key.strip()] = value.strip()
    return values


def settings_problems(settings: Settings, generated: Mapping[str, str]) -> list[str]:
    """What keeps these settings from running in production (empty: nothing)."""
    problems = []
    demo_values = {value for value in generated.values() if value}
    for name, value in (
        ("INBOX_JWT_SECRET", settings.jwt_secret),
        ("INBOX_SERVICE_TOKEN", settings.service_token),
        ("RASA_TOKEN", settings.rasa_token),
        ("DELIVERY_SIGNING_SECRET", settings.delivery_signing_secret),
    ):
        if len(value) < MIN_SECRET_CHARS:
            problems.append(f"{name} must be set to a secret of {MIN_SECRET_CHARS}+ characters")
        elif value in demo_values:
            problems.append(f"{name} is the demo secret generated in {settings.demo_secrets_file}")
    if "*" in settings.cors_origins:
        problems.append("INBOX_CORS_ORIGINS must name the allowed origins, not *")
    return problems


async def check_production(runtime: Runtime) -> None:
    """Refuse to start production with demo secrets or an active demo admin."""
    settings = runtime.settings
    problems = settings_problems(settings, read_generated_secrets(settings.demo_secrets_file))
    async with runtime.sessions() as session:
        demo_admin = await session.scalar(
            select(Staff.id).where(Staff.email == DEMO_ADMIN_EMAIL, Staff.active.is_(True))
        )
    if demo_admin is not None:
        problems.append(
            f"the demo login {DEMO_ADMIN_EMAIL} is active; switch it off with "
            f"`python -m inbox_api disable-staff --email {DEMO_ADMIN_EMAIL}`"
        )
    if problems:
        raise ProductionRefused(
            "APP_ENV=production refuses to start: "
            + "; ".join(problems)
            + ". Create the first admin with `python -m inbox_api create-staff --role admin`."
        )
