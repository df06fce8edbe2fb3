"""bot_conversations: every conversation the assistant held, for containment in the SLA report

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kit.orm import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bot_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=50), nullable=False),
        sa.Column("conversation_id", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("intent", sa.String(length=100), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("started_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_message_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bot_conversations")),
        sa.UniqueConstraint(
            "channel", "conversation_id", name=op.f("uq_bot_conversations_channel_conversation_id")
        ),
    )
    op.create_index("ix_bot_conversations_started_at", "bot_conversations", ["started_at"])


def downgrade() -> None:
    op.drop_index("ix_bot_conversations_started_at", table_name="bot_conversations")
    op.drop_table("bot_conversations")
