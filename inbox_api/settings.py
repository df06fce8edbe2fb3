"""Configuration of the inbox API (one Settings class; nothing else reads os.environ)."""

from __future__ import annotations

from datetime import time

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from inbox_api.sla.calendar import DEFAULT_HOURS

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/linde.db"


def normalise_database_url(url: str) -> str:
    """Accept plain `postgresql://` / `sqlite://` URLs and pick the async driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite:///"):
        return "sqlite+aiosqlite:///" + url.removeprefix("sqlite:///")
    return url


def _shared(name: str) -> AliasChoices:
    return AliasChoices(f"INBOX_{name}", name)


class Settings(BaseSettings):
    """Settings of the inbox API, read from INBOX_* and the shared names of docs/contracts.md."""

    model_config = SettingsConfigDict(env_prefix="INBOX_", extra="ignore", populate_by_name=True)

    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias=_shared("DATABASE_URL"))
    redis_url: str | None = Field(None, validation_alias=_shared("REDIS_URL"))
    redis_prefix: str = Field("linde", validation_alias=_shared("REDIS_PREFIX"))
    rasa_url: str = Field("http://127.0.0.1:5005", validation_alias=_shared("RASA_URL"))
    # The Rasa address a customer's browser uses (the demo page); defaults to rasa_url.
    public_rasa_url: str | None = None
    rasa_token: str = Field("", validation_alias=_shared("RASA_TOKEN"))
    service_token: str = Field("", validation_alias=AliasChoices("INBOX_SERVICE_TOKEN"))
    jwt_secret: str = Field("", validation_alias=AliasChoices("INBOX_JWT_SECRET"))
    # Shared with the action server: it relays only replies signed with it (docs/contracts.md).
    delivery_signing_secret: str = Field("", validation_alias=_shared("DELIVERY_SIGNING_SECRET"))
    new_staff_password: str = Field("", validation_alias=AliasChoices("INBOX_NEW_STAFF_PASSWORD"))

    access_token_minutes: int = 12 * 60
    max_message_chars: int = 4000
    # A Dutch ticket waits this long for a Dutch-speaking agent before anyone may claim it.
    language_offer_minutes: int = 15

    business_timezone: str = "Europe/Amsterdam"
    # Weekday (Monday=0) -> opening and closing time; a missing weekday is closed.
    business_hours: dict[int, tuple[time, time]] = dict(DEFAULT_HOURS)
    # Public holidays (a `holidays` country code) on which the team is closed; None = none.
    holiday_country: str | None = "NL"
    # Targets in business minutes, per priority (urgent, high, normal, low).
    first_response_minutes: dict[str, float] = {"urgent": 30, "high": 60, "normal": 240, "low": 480}
    next_response_minutes: dict[str, float] = {"urgent": 30, "high": 60, "normal": 240, "low": 480}
    resolution_minutes: dict[str, float] = {
        "urgent": 8 * 60,
        "high": 16 * 60,
        "normal": 40 * 60,
        "low": 80 * 60,
    }
    warning_fraction: float = 0.8

    delivery_poll_seconds: float = 1.0
    delivery_timeout_seconds: float = 10.0
    delivery_max_backoff_seconds: float = 60.0
    # How long a label request waits for the training worker to write the example.
    training_edit_wait_seconds: float = 10.0
    # Background workers (delivery, SLA scheduler); pure HTTP tests may switch them off.
    run_workers: bool = True

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalise_database_url(value)
