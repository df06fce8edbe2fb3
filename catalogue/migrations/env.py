"""Alembic environment of the catalogue tables (version table `alembic_version_catalogue`)."""

from catalogue.models import Base
from kit.migrations import run_environment

run_environment(Base.metadata, version_table="alembic_version_catalogue")
