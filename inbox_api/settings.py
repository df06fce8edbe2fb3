"""Configuration of the inbox API (one Settings class; nothing else reads os.environ)."""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from inbox_api.sla.calendar import DEFAULT_HOURS
from kit.clock import DEFAULT_TIMEZONE, timezone_named
from kit.database import DEFAULT_DATABASE_URL, normalise_database_url


def _shared(name: str) -> AliasChoices:
    return AliasChoices(f"INBOX_{name}", name)


class Settings(BaseSettings):
    """Settings of the inbox API, read from INBOX_* and the shared names of docs/contracts.md."""

    model_config = SettingsConfigDict(env_prefix="INBOX_", extra="ignore", populate_by_name=True)

    # Validated like a given URL: the default SQLite file is anchored at the repository root.
    database_url: str = Field(
        DEFAULT_DATABASE_URL, validation_alias=_shared("DATABASE_URL"), validate_default=True
    )
    redis_url: str | None = Field(None, validation_alias=_shared("REDIS_URL"))
    redis_prefix: str = Field("linde", validation_alias=_shared("REDIS_PREFIX"))
    rasa_url: str = Field("http://127.0.0.1:5005", validation_alias=_shared("RASA_URL"))
    # The Rasa address a customer's browser uses (the demo page); defaults to rasa_url.
    public_rasa_url: str | None = None
    # The demo's fake Graph API (demo/graph_api.py), which also plays the mock brand page's
    # Facebook; `make run` sets it when no real Meta settings are given. Unset: no mock page.
    demo_graph_url: str | None = None
    rasa_token: str = Field("", validation_alias=_shared("RASA_TOKEN"))
    service_token: str = Field("", validation_alias=AliasChoices("INBOX_SERVICE_TOKEN"))
    # Rasa sends it (endpoints.yml `models:`) to pull the promoted model; empty: nobody may.
    model_server_token: str = Field("", validation_alias=_shared("MODEL_SERVER_TOKEN"))
    # More than 0: the Rasa processes pull the promoted model from /api/v1/model-server/model.
    model_pull_seconds: int = Field(0, ge=0, validation_alias=_shared("RASA_MODEL_PULL_SECONDS"))
    # Every Rasa process the trainer page asks which model it runs (comma-separated);
    # empty: only rasa_url. A balancer hides its replicas, so they are listed here.
    rasa_replica_urls: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=_shared("RASA_REPLICA_URLS")
    )
    jwt_secret: str = Field("", validation_alias=AliasChoices("INBOX_JWT_SECRET"))
    # Shared with the action server: it relays only replies signed with it (docs/contracts.md).
    delivery_signing_secret: str = Field("", validation_alias=_shared("DELIVERY_SIGNING_SECRET"))
    new_staff_password: str = Field("", validation_alias=AliasChoices("INBOX_NEW_STAFF_PASSWORD"))

    # `production` refuses the generated demo secrets and the demo admin (docs/security.md).
    app_env: Literal["demo", "production"] = Field(
        "demo", validation_alias=AliasChoices("APP_ENV", "INBOX_APP_ENV")
    )
    # Browser origins other than the inbox's own that may call the API (comma-separated).
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=AliasChoices("INBOX_CORS_ORIGINS")
    )
    # The secrets `make setup` generates; production refuses to run with any of them.
    demo_secrets_file: Path = Path(__file__).resolve().parents[1] / "var" / "secrets.env"

    access_token_minutes: int = 12 * 60
    # How often a live stream re-checks that its token was not revoked.
    token_recheck_seconds: float = 5.0
    # Failed logins allowed per account and per client address within the window.
    login_failures_per_account: int = Field(5, ge=1)
    login_failures_per_address: int = Field(30, ge=1)
    login_window_seconds: int = Field(15 * 60, ge=1)
    # Largest request body accepted (bytes); bigger ones get 413 before they are read.
    max_body_bytes: int = Field(1_000_000, ge=1024)
    # The SLA report spans at most this many days.
    report_max_days: int = Field(366, ge=1)
    # Who a token belongs to is re-read from the database at most this often (per worker):
    # switching an account off takes effect within this time (a revocation at once, through
    # the staff.revoked event). 0 = every request.
    auth_cache_seconds: float = Field(5.0, ge=0, le=60)
    max_message_chars: int = 4000
    # A Dutch ticket waits this long for a Dutch-speaking agent before anyone may claim it.
    language_offer_minutes: int = 15

    business_timezone: str = Field(DEFAULT_TIMEZONE, validation_alias=_shared("BUSINESS_TIMEZONE"))
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
    # Per channel (or `public` for every public comment channel): minute tables that replace
    # the priority tables above for that channel, metric by metric, priority by priority;
    # e.g. INBOX_CHANNEL_SLA='{"whatsapp": {"first_response": {"normal": 120}}}'. Public
    # comments are seen by every visitor of the page: first response in 1 business hour.
    channel_sla: dict[
        str, dict[Literal["first_response", "next_response", "resolution"], dict[str, float]]
    ] = {"public": {"first_response": {"urgent": 30, "high": 60, "normal": 60, "low": 60}}}

    # How often every worker looks for waiting tickets to assign and away agents' tickets to
    # release (besides being woken by escalations, resolves and presence changes).
    assignment_poll_seconds: float = Field(5.0, gt=0)
    # The satisfaction question after a resolved ticket: its scale, and how long it is open
    # (never longer than the channel still takes a message).
    csat_scale: Literal["good_bad", "one_to_five"] = "one_to_five"
    csat_open_hours: float = Field(24.0, gt=0)

    # How often every worker re-reads due SLA checks from the database (what Redis lost).
    sla_reconcile_seconds: float = 30.0
    # uvicorn's worker count (it reads WEB_CONCURRENCY too); several need Redis to share events.
    workers: int = Field(1, ge=1, validation_alias=_shared("WEB_CONCURRENCY"))

    delivery_poll_seconds: float = 1.0
    delivery_timeout_seconds: float = 10.0
    delivery_max_backoff_seconds: float = 60.0
    # How long a label request waits for the training worker to write the example.
    training_edit_wait_seconds: float = 10.0
    # Resolved conversations, review items, Rasa trackers and verification attempts older than
    # this are deleted, past events' registrations anonymised (docs/security.md, "Retention").
    retention_days: int = Field(180, ge=1, validation_alias=_shared("RETENTION_DAYS"))
    # Registrations of an event are anonymised this long after it ended.
    retention_event_days: int = Field(14, ge=0)
    # How often each inbox worker runs the retention pass (it is safe to run twice).
    retention_interval_seconds: float = Field(6 * 3600, gt=0)
    # Rasa's SQLite tracker file when DATABASE_URL is SQLite (on PostgreSQL: schema `rasa`).
    rasa_tracker_db: Path = Field(
        Path(__file__).resolve().parents[1] / "var" / "rasa_tracker.db",
        validation_alias=_shared("RASA_TRACKER_DB"),
    )
    # Background workers (delivery, SLA scheduler); pure HTTP tests may switch them off.
    run_workers: bool = True

    @field_validator("cors_origins", "rasa_replica_urls", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip().rstrip("/") for item in value.split(",") if item.strip()]
        return value

    @property
    def production(self) -> bool:
        """True in production mode (APP_ENV=production)."""
        return self.app_env == "production"

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("rasa_tracker_db")
    @classmethod
    def _anchored(cls, value: Path) -> Path:
        # Relative to the repository root, as Rasa (started there) reads it.
        return value if value.is_absolute() else Path(__file__).resolve().parents[1] / value

    @field_validator("business_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        timezone_named(value)
        return value
