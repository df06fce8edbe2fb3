"""What the answers API takes and gives."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# Both languages are required: a blank text would leave one language without an answer.
AnswerText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1,
                                              max_length=2000)]


class AnswerOut(BaseModel):
    """An answer as the assistant gives it now."""

    model_config = ConfigDict(from_attributes=True)

    topic: str
    title_en: str
    title_nl: str
    body_en: str
    body_nl: str
    version: int
    updated_at: datetime
    updated_by: str
    # Opening hours, addresses and size advice come from data first; this text follows.
    after_data: bool = False


class AnswerVersionOut(BaseModel):
    """One version in an answer's history."""

    model_config = ConfigDict(from_attributes=True)

    version: int
    body_en: str
    body_nl: str
    changed_at: datetime
    changed_by: str
    note: str | None


class AnswerEdit(BaseModel):
    """A new text in both languages, based on the version the editor saw."""

    base_version: int = Field(ge=1, le=1_000_000)
    body_en: AnswerText
    body_nl: AnswerText
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
