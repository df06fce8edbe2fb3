"""The two answer tables, mapped from their one declaration in kit (not the inbox's MetaData)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import DeclarativeBase, Mapped

from kit.answer_tables import declare_answer_tables
from kit.orm import named_metadata


class AnswersBase(DeclarativeBase):
    """A base of its own: the inbox's migrations must not see the catalogue's tables."""

    metadata = named_metadata()


_answers_table, _versions_table = declare_answer_tables(AnswersBase.metadata)


class Answer(AnswersBase):
    """The current answer to one FAQ topic, in both languages."""

    __table__ = _answers_table

    topic: Mapped[str]
    title_en: Mapped[str]
    title_nl: Mapped[str]
    body_en: Mapped[str]
    body_nl: Mapped[str]
    version: Mapped[int]
    updated_at: Mapped[datetime]
    updated_by: Mapped[str]


class AnswerVersion(AnswersBase):
    """One version of an answer: who wrote what, and when."""

    __table__ = _versions_table

    id: Mapped[int]
    topic: Mapped[str]
    version: Mapped[int]
    body_en: Mapped[str]
    body_nl: Mapped[str]
    changed_at: Mapped[datetime]
    changed_by: Mapped[str]
    note: Mapped[str | None]
