"""one open ticket per conversation

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 04:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_OPEN = sa.text("status != 'resolved'")


def upgrade() -> None:
    # Two escalations racing for the same conversation must never open two tickets.
    op.create_index(
        "uq_tickets_open_conversation",
        "tickets",
        ["channel", "conversation_id"],
        unique=True,
        sqlite_where=_OPEN,
        postgresql_where=_OPEN,
    )


def downgrade() -> None:
    op.drop_index("uq_tickets_open_conversation", table_name="tickets")
