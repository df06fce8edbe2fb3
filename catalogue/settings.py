"""Configuration of the catalogue command line (the action server reads actions.settings)."""

from __future__ import annotations

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kit.clock import DEFAULT_TIMEZONE
from kit.database import DEFAULT_DATABASE_URL, normalise_database_url


class CatalogueSettings(BaseSettings):
    """Settings of `python -m catalogue`, from CATALOGUE_DATABASE_URL or DATABASE_URL."""

    model_config = SettingsConfigDict(env_prefix="CATALOGUE_", extra="ignore")

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("CATALOGUE_DATABASE_URL", "DATABASE_URL"),
    )
    # The same name the inbox reads, so stores, return windows and SLA clocks share one zone.
    business_timezone: str = Field(
        DEFAULT_TIMEZONE,
        validation_alias=AliasChoices("CATALOGUE_BUSINESS_TIMEZONE", "BUSINESS_TIMEZONE"),
    )


def database_url() -> str:
    """The database the command line works on, with the async driver chosen."""
    return normalise_database_url(CatalogueSettings().database_url)
