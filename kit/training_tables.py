"""The training job queue's two tables, declared once for both sides of the contract.

The inbox queues jobs and reads what the training worker publishes; the worker claims and runs
the jobs. Both runtimes declare these tables from here into their own MetaData, so they cannot
drift apart. The inbox's migrations (revision 0005) create them.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Index,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

from kit.orm import UtcDateTime

JOBS_TABLE = "training_jobs"
SNAPSHOTS_TABLE = "training_snapshots"
MODEL_FILES_TABLE = "training_model_files"
# The snapshot naming the model every Rasa process should run (model server, pull mode).
SERVING_KEY = "serving"


def declare_training_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Add `training_jobs` and `training_snapshots` to `metadata` and return them."""
    jobs = Table(
        JOBS_TABLE,
        metadata,
        Column("id", String(40), primary_key=True),
        # train, promote, rollback (lane "model"); add_example (lane "edit")
        Column("kind", String(20), nullable=False),
        # "model" jobs run one at a time; "edit" jobs (one example) run beside them.
        Column("lane", String(10), nullable=False),
        Column("status", String(20), nullable=False),
        Column("phase", String(30), nullable=False),
        Column("progress", Float, nullable=False),
        Column("message", Text, nullable=False),
        Column("promote", Boolean, nullable=False),
        Column("model_id", String(100)),
        # What was asked (an example's intent, language, text and entity spans).
        Column("payload", JSON, nullable=False),
        # What came of it: the gate's decision, or the example written or refused.
        Column("result", JSON),
        Column("error", Text),
        Column("worker", String(100)),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("updated_at", UtcDateTime(), nullable=False),
        Column("started_at", UtcDateTime()),
        Column("finished_at", UtcDateTime()),
        # A running job whose lease has passed has lost its worker.
        Column("lease_until", UtcDateTime()),
        Index("ix_training_jobs_lane_status_created_at", "lane", "status", "created_at"),
    )
    snapshots = Table(
        SNAPSHOTS_TABLE,
        metadata,
        # "worker" (heartbeat), "domain", "parity", "models"
        Column("key", String(40), primary_key=True),
        Column("body", JSON, nullable=False),
        Column("updated_at", UtcDateTime(), nullable=False),
    )
    return jobs, snapshots


def declare_model_files_table(metadata: MetaData) -> Table:
    """Add `training_model_files` to `metadata`: the archives the model server hands to Rasa.

    The worker writes a model's archive here when it is promoted, rolled back to or adopted
    (pull mode); the inbox serves the one the "serving" snapshot names. Archives never change
    once written, so a model's id is its ETag. The inbox's migrations (revision 0013) create it.
    """
    return Table(
        MODEL_FILES_TABLE,
        metadata,
        Column("model_id", String(100), primary_key=True),
        # The name Rasa gives the pulled archive: `<model id>.tar.gz`, shown by its GET /status.
        Column("file_name", String(200), nullable=False),
        Column("sha256", String(64), nullable=False),
        Column("size", BigInteger, nullable=False),
        Column("content", LargeBinary, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
    )
