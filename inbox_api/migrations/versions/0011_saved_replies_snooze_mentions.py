"""saved_replies with their audit trail; tickets.snooze_mode/snoozed_until; notifications

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shortcut", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("body_nl", sa.Text(), nullable=True),
        sa.Column("body_en", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["staff.id"], name=op.f("fk_saved_replies_updated_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_replies")),
        sa.UniqueConstraint("shortcut", name=op.f("uq_saved_replies_shortcut")),
    )
    op.create_table(
        "saved_reply_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("saved_reply_id", sa.Integer(), nullable=False),
        sa.Column("shortcut", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_saved_reply_changes_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_reply_changes")),
    )
    op.create_index(
        op.f("ix_saved_reply_changes_saved_reply_id"), "saved_reply_changes", ["saved_reply_id"]
    )
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("snooze_mode", sa.String(length=10), nullable=True))
        batch.add_column(sa.Column("snoozed_until", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_notifications_staff_id_staff"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_notifications_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["ticket_messages.id"],
            name=op.f("fk_notifications_message_id_ticket_messages"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["by_id"], ["staff.id"], name=op.f("fk_notifications_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index("ix_notifications_staff_id_id", "notifications", ["staff_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_notifications_staff_id_id", table_name="notifications")
    op.drop_table("notifications")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("snoozed_until")
        batch.drop_column("snooze_mode")
    op.drop_index(op.f("ix_saved_reply_changes_saved_reply_id"), table_name="saved_reply_changes")
    op.drop_table("saved_reply_changes")
    op.drop_table("saved_replies")
