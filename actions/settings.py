"""Configuration of the action server (one Settings class; nothing else reads os.environ)."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from actions.domain_names import DUTCH, LANGUAGES
from catalogue.verification import AttemptLimits
from kit.database import DEFAULT_DATABASE_URL, normalise_database_url


class ActionSettings(BaseSettings):
    """Settings of the action server, read from ACTIONS_* (and a few shared) variables."""

    model_config = SettingsConfigDict(env_prefix="ACTIONS_", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL, validation_alias=AliasChoices("ACTIONS_DATABASE_URL", "DATABASE_URL")
    )
    inbox_url: str = Field(
        "http://127.0.0.1:8000", validation_alias=AliasChoices("ACTIONS_INBOX_URL", "INBOX_URL")
    )
    inbox_service_token: str = Field(
        "", validation_alias=AliasChoices("ACTIONS_INBOX_SERVICE_TOKEN", "INBOX_SERVICE_TOKEN")
    )
    # Shared with the inbox: only replies and hand-backs it signed reach the customer.
    delivery_signing_secret: str = Field(
        "",
        validation_alias=AliasChoices(
            "ACTIONS_DELIVERY_SIGNING_SECRET", "DELIVERY_SIGNING_SECRET"
        ),
    )
    # The language of a conversation that gave no evidence of its own (an emoji, a button
    # sent through the API): Linde & Co is a Dutch brand.
    brand_default_language: str = Field(
        DUTCH,
        validation_alias=AliasChoices(
            "ACTIONS_BRAND_DEFAULT_LANGUAGE", "BRAND_DEFAULT_LANGUAGE"
        ),
    )
    # Shared with the Rasa server (endpoints.yml): calls without it are refused.
    server_token: str = Field(
        "", validation_alias=AliasChoices("ACTIONS_SERVER_TOKEN", "ACTION_SERVER_TOKEN")
    )
    # Loopback: only the Rasa server on this machine calls it (docs/security.md for production).
    host: str = Field("127.0.0.1", validation_alias=AliasChoices("ACTIONS_HOST", "SANIC_HOST"))
    # Wrong order/pair tries before verification locks (per order number, per customer),
    # counted over a sliding window (catalogue.verification.AttemptLimits).
    verification_window_minutes: float = Field(60.0, gt=0)
    verification_failures_per_order: int = Field(5, ge=1)
    verification_failures_per_customer: int = Field(3, ge=1)
    # A customer waits on every answer: a slow database is treated as a down one.
    database_timeout_seconds: float = 3.0
    inbox_timeout_seconds: float = 5.0
    # Review reports are bookkeeping: the customer's answer never waits longer than this.
    review_report_timeout_seconds: float = 1.0

    @field_validator("brand_default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}, not {value!r}")
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalise_database_url(value)


    def attempt_limits(self) -> AttemptLimits:
        """The verification limits these settings describe."""
        return AttemptLimits(
            window=timedelta(minutes=self.verification_window_minutes),
            per_order=self.verification_failures_per_order,
            per_customer=self.verification_failures_per_customer,
        )


@lru_cache
def get_settings() -> ActionSettings:
    """The settings of this process, read once."""
    return ActionSettings()
