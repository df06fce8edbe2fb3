"""Meta channels on tickets: customer name, reply window, window warning; reply mode and status

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kit.orm

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("customer_name", sa.String(200), nullable=True))
        batch.add_column(
            sa.Column("reply_window_closes_at", kit.orm.UtcDateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("window_warned_for", kit.orm.UtcDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("ticket_messages") as batch:
        batch.add_column(sa.Column("sent_as", sa.String(20), nullable=True))
        batch.add_column(sa.Column("channel_status", sa.String(20), nullable=True))
        batch.add_column(
            sa.Column("channel_status_at", kit.orm.UtcDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket_messages") as batch:
        batch.drop_column("channel_status_at")
        batch.drop_column("channel_status")
        batch.drop_column("sent_as")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("window_warned_for")
        batch.drop_column("reply_window_closes_at")
        batch.drop_column("customer_name")
