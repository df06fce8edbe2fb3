"""deliveries.relayed_at: the action server relays each delivery once; message lookup index

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 03:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("relayed_at", sa.DateTime(timezone=True), nullable=True))
    # The queue's preview (a ticket's latest customer message) is one probe of this index.
    op.create_index(
        "ix_ticket_messages_ticket_role_id", "ticket_messages", ["ticket_id", "role", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_messages_ticket_role_id", table_name="ticket_messages")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("relayed_at")
