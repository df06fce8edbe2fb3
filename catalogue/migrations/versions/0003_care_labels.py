"""Care labels as data: how a product is washed, up to which temperature, dryer and iron.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 06:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    # Nullable and without CHECK constraints: added in place on SQLite, no table rebuild.
    op.add_column("products", sa.Column("care_wash", sa.String(length=20), nullable=True))
    op.add_column("products", sa.Column("care_wash_max_c", sa.Integer(), nullable=True))
    op.add_column("products", sa.Column("care_tumble_dry", sa.Boolean(), nullable=True))
    op.add_column("products", sa.Column("care_iron", sa.Boolean(), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    for column in ("care_iron", "care_tumble_dry", "care_wash_max_c", "care_wash"):
        op.drop_column("products", column)
