"""Brand answers (versioned, with history), stores with opening hours and special days, size charts.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 06:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "faq_answers",
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.Column("title_en", sa.String(length=120), nullable=False),
        sa.Column("title_nl", sa.String(length=120), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("body_nl", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.CheckConstraint("version > 0", name=op.f("ck_faq_answers_version_positive")),
        sa.CheckConstraint(
            "length(body_en) > 0 AND length(body_nl) > 0",
            name=op.f("ck_faq_answers_both_languages"),
        ),
        sa.PrimaryKeyConstraint("topic", name=op.f("pk_faq_answers")),
    )
    op.create_table(
        "faq_answer_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=False),
        sa.Column("body_nl", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=254), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["topic"], ["faq_answers.topic"],
            name=op.f("fk_faq_answer_versions_topic_faq_answers"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_faq_answer_versions")),
        sa.UniqueConstraint("topic", "version", name="uq_faq_answer_versions_topic_version"),
    )
    op.create_index(
        op.f("ix_faq_answer_versions_topic"), "faq_answer_versions", ["topic"]
    )
    op.create_table(
        "stores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("city", sa.String(length=60), nullable=False),
        sa.Column("street", sa.String(length=120), nullable=False),
        sa.Column("postcode", sa.String(length=12), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stores")),
        sa.UniqueConstraint("slug", name=op.f("uq_stores_slug")),
        sa.UniqueConstraint("city", name=op.f("uq_stores_city")),
    )
    op.create_table(
        "store_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Time(), nullable=False),
        sa.Column("closes", sa.Time(), nullable=False),
        sa.CheckConstraint("weekday BETWEEN 0 AND 6", name=op.f("ck_store_hours_weekday_range")),
        sa.CheckConstraint("closes > opens", name=op.f("ck_store_hours_closes_after_opening")),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"],
            name=op.f("fk_store_hours_store_id_stores"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_hours")),
        sa.UniqueConstraint("store_id", "weekday", name="uq_store_hours_store_weekday"),
    )
    op.create_index(op.f("ix_store_hours_store_id"), "store_hours", ["store_id"])
    op.create_table(
        "store_special_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("holiday", sa.String(length=60), nullable=True),
        sa.Column("opens", sa.Time(), nullable=True),
        sa.Column("closes", sa.Time(), nullable=True),
        sa.Column("note_en", sa.String(length=200), nullable=True),
        sa.Column("note_nl", sa.String(length=200), nullable=True),
        sa.CheckConstraint(
            "(day IS NULL) <> (holiday IS NULL)", name=op.f("ck_store_special_days_day_or_holiday")
        ),
        sa.CheckConstraint(
            "(opens IS NULL) = (closes IS NULL)", name=op.f("ck_store_special_days_hours_complete")
        ),
        sa.CheckConstraint(
            "closes IS NULL OR closes > opens",
            name=op.f("ck_store_special_days_closes_after_opening"),
        ),
        sa.ForeignKeyConstraint(
            ["store_id"], ["stores.id"],
            name=op.f("fk_store_special_days_store_id_stores"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_special_days")),
    )
    op.create_index(op.f("ix_store_special_days_store_id"), "store_special_days", ["store_id"])
    op.create_index(op.f("ix_store_special_days_day"), "store_special_days", ["day"])
    op.create_table(
        "size_charts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("height_min_cm", sa.Integer(), nullable=True),
        sa.Column("height_max_cm", sa.Integer(), nullable=True),
        sa.Column("fit_en", sa.String(length=300), nullable=False),
        sa.Column("fit_nl", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_size_charts")),
        sa.UniqueConstraint("category", name=op.f("uq_size_charts_category")),
    )
    op.create_table(
        "size_chart_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chart_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("size", sa.String(length=12), nullable=False),
        sa.Column("eu_min", sa.Integer(), nullable=True),
        sa.Column("eu_max", sa.Integer(), nullable=True),
        sa.Column("chest_min", sa.Integer(), nullable=True),
        sa.Column("chest_max", sa.Integer(), nullable=True),
        sa.Column("waist_min", sa.Integer(), nullable=True),
        sa.Column("waist_max", sa.Integer(), nullable=True),
        sa.Column("hip_min", sa.Integer(), nullable=True),
        sa.Column("hip_max", sa.Integer(), nullable=True),
        sa.Column("foot_mm", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["chart_id"], ["size_charts.id"],
            name=op.f("fk_size_chart_rows_chart_id_size_charts"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_size_chart_rows")),
        sa.UniqueConstraint("chart_id", "size", name="uq_size_chart_rows_chart_size"),
    )
    op.create_index(op.f("ix_size_chart_rows_chart_id"), "size_chart_rows", ["chart_id"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_size_chart_rows_chart_id"), "size_chart_rows")
    op.drop_table("size_chart_rows")
    op.drop_table("size_charts")
    op.drop_index(op.f("ix_store_special_days_day"), "store_special_days")
    op.drop_index(op.f("ix_store_special_days_store_id"), "store_special_days")
    op.drop_table("store_special_days")
    op.drop_index(op.f("ix_store_hours_store_id"), "store_hours")
    op.drop_table("store_hours")
    op.drop_table("stores")
    op.drop_index(op.f("ix_faq_answer_versions_topic"), "faq_answer_versions")
    op.drop_table("faq_answer_versions")
    op.drop_table("faq_answers")
