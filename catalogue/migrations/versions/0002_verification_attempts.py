"""Verification attempts: failed order-number/pair tries per order and per customer.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 03:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "verification_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=12), nullable=False),
        sa.Column("customer", sa.String(length=260), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_attempts")),
    )
    for column in ("order_number", "customer", "attempted_at"):
        op.create_index(
            op.f(f"ix_verification_attempts_{column}"), "verification_attempts", [column]
        )


def downgrade() -> None:
    """Revert this revision."""
    for column in ("attempted_at", "customer", "order_number"):
        op.drop_index(op.f(f"ix_verification_attempts_{column}"), "verification_attempts")
    op.drop_table("verification_attempts")
