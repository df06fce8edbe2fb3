"""The brand answers' two tables, declared once for both sides of the contract.

The catalogue owns them (its migration 0004 creates them, its seed fills them) and the action
server reads them to answer general shop questions; the inbox's trainer page edits them.
Both runtimes declare the tables from here into their own MetaData, so they cannot drift apart
(docs/contracts.md, "Brand answers").
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from kit.orm import UtcDateTime

ANSWERS_TABLE = "faq_answers"
VERSIONS_TABLE = "faq_answer_versions"


def declare_answer_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Add `faq_answers` and `faq_answer_versions` to `metadata` and return them."""
    answers = Table(
        ANSWERS_TABLE,
        metadata,
        # The retrieval intent's topic: faq/<topic> in data/nlu.
        Column("topic", String(60), primary_key=True),
        Column("title_en", String(120), nullable=False),
        Column("title_nl", String(120), nullable=False),
        Column("body_en", Text, nullable=False),
        Column("body_nl", Text, nullable=False),
        # Raised by every edit; an edit names the version it started from (compare-and-set).
        Column("version", Integer, nullable=False),
        Column("updated_at", UtcDateTime(), nullable=False),
        # Who wrote this version: a staff member's email, or "seed".
        Column("updated_by", String(254), nullable=False),
        CheckConstraint("version > 0", name="version_positive"),
        CheckConstraint("length(body_en) > 0 AND length(body_nl) > 0", name="both_languages"),
    )
    versions = Table(
        VERSIONS_TABLE,
        metadata,
        Column("id", Integer, primary_key=True),
        Column(
            "topic",
            String(60),
            ForeignKey(f"{ANSWERS_TABLE}.topic", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("version", Integer, nullable=False),
        Column("body_en", Text, nullable=False),
        Column("body_nl", Text, nullable=False),
        Column("changed_at", UtcDateTime(), nullable=False),
        Column("changed_by", String(254), nullable=False),
        # The editor's own words on why (optional).
        Column("note", String(300)),
        UniqueConstraint("topic", "version", name="uq_faq_answer_versions_topic_version"),
    )
    return answers, versions
