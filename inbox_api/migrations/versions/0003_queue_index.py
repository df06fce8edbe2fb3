"""queue order index

Revision ID: 0003
Revises: 0002_nlu_review
Create Date: 2026-11-22 04:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002_nlu_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Serves the queue's ORDER BY sla_due_at NULLS LAST, id with LIMIT without sorting every row.
    op.create_index("ix_tickets_queue_order", "tickets", ["sla_due_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_tickets_queue_order", table_name="tickets")
