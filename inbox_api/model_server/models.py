"""The archives of the models in service, written by the training worker."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped

from inbox_api.db import Base
from kit.training_tables import declare_model_files_table

# Declared once in kit/training_tables.py for the worker (who writes) and the inbox (who serves).
_model_files_table = declare_model_files_table(Base.metadata)


class ModelFile(Base):
    """One model's archive; it never changes, so the model's id is its ETag."""

    __table__ = _model_files_table

    model_id: Mapped[str]
    file_name: Mapped[str]
    sha256: Mapped[str]
    size: Mapped[int]
    content: Mapped[bytes]
    created_at: Mapped[datetime]
