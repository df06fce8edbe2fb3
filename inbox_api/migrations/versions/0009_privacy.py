"""privacy: audit of reveals, record of erasure and retention runs, review items' conversation

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kit.orm

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_reveals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("at", kit.orm.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_privacy_reveals_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_reveals")),
    )
    op.create_index("ix_privacy_reveals_at", "privacy_reveals", ["at"], unique=False)
    op.create_index(
        op.f("ix_privacy_reveals_ticket_id"), "privacy_reveals", ["ticket_id"], unique=False
    )
    op.create_table(
        "privacy_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("subject_hash", sa.String(length=64), nullable=True),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("at", kit.orm.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_runs")),
    )
    with op.batch_alter_table("nlu_review_items") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=50), nullable=True))
        batch.add_column(sa.Column("conversation_id", sa.String(length=200), nullable=True))
        batch.create_index(
            "ix_nlu_review_items_conversation", ["channel", "conversation_id"], unique=False
        )
    # Items collected from tickets before now know their conversation too.
    op.execute(
        "UPDATE nlu_review_items SET "
        "channel = (SELECT channel FROM tickets WHERE tickets.id = nlu_review_items.ticket_id), "
        "conversation_id = (SELECT conversation_id FROM tickets "
        "WHERE tickets.id = nlu_review_items.ticket_id) "
        "WHERE ticket_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("nlu_review_items") as batch:
        batch.drop_index("ix_nlu_review_items_conversation")
        batch.drop_column("conversation_id")
        batch.drop_column("channel")
    op.drop_table("privacy_runs")
    op.drop_index(op.f("ix_privacy_reveals_ticket_id"), table_name="privacy_reveals")
    op.drop_index("ix_privacy_reveals_at", table_name="privacy_reveals")
    op.drop_table("privacy_reveals")
