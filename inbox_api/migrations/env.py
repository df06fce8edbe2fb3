"""Alembic environment of the inbox (version table `alembic_version_inbox`)."""

from inbox_api.models import Base
from kit.migrations import run_environment

run_environment(Base.metadata, version_table="alembic_version_inbox")
