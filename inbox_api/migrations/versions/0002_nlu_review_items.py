"""nlu review queue

Revision ID: 0002_nlu_review
Revises: 0001
Create Date: 2026-11-22 04:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import kit.orm

revision = "0002_nlu_review"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nlu_review_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("predicted_intent", sa.String(length=100), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("suggested_intent", sa.String(length=100), nullable=True),
        sa.Column("suggested_by_id", sa.Integer(), nullable=True),
        sa.Column("label_intent", sa.String(length=100), nullable=True),
        sa.Column("label_language", sa.String(length=5), nullable=True),
        sa.Column("label_text", sa.Text(), nullable=True),
        sa.Column("example_ref", sa.String(length=300), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", kit.orm.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", kit.orm.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_nlu_review_items_ticket_id_tickets"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["ticket_messages.id"],
            name=op.f("fk_nlu_review_items_message_id_ticket_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["suggested_by_id"],
            ["staff.id"],
            name=op.f("fk_nlu_review_items_suggested_by_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["staff.id"], name=op.f("fk_nlu_review_items_decided_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nlu_review_items")),
        sa.UniqueConstraint("message_id", name=op.f("uq_nlu_review_items_message_id")),
    )
    with op.batch_alter_table("nlu_review_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_nlu_review_items_ticket_id"), ["ticket_id"], unique=False
        )
        batch_op.create_index(
            "ix_nlu_review_items_status_created_at", ["status", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("nlu_review_items", schema=None) as batch_op:
        batch_op.drop_index("ix_nlu_review_items_status_created_at")
        batch_op.drop_index(batch_op.f("ix_nlu_review_items_ticket_id"))
    op.drop_table("nlu_review_items")
