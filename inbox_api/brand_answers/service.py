"""The rules of editing answers: both languages, compare-and-set on the version, a history row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.brand_answers import repository
from inbox_api.brand_answers.models import Answer, AnswerVersion
from inbox_api.brand_answers.schemas import AnswerEdit, AnswerOut, AnswerVersionOut
from inbox_api.errors import Conflict, InboxError, NotFound

# Topics whose answer the assistant gives after data of its own (actions/faq.py).
AFTER_DATA = frozenset({"store_hours", "store_addresses", "size_advice"})
HISTORY_LIMIT = 50


class AnswersUnavailable(InboxError):
    """The answer tables are not in this database (the catalogue was never migrated)."""

    status_code = 503


def _missing_tables() -> AnswersUnavailable:
    return AnswersUnavailable(
        "The brand answers are not in this database yet: run `python -m catalogue migrate` "
        "and `python -m catalogue seed` (make run does both)."
    )


def _out(answer: Answer) -> AnswerOut:
    out = AnswerOut.model_validate(answer)
    out.after_data = answer.topic in AFTER_DATA
    return out


async def list_answers(session: AsyncSession) -> list[AnswerOut]:
    """Every answer with its current version."""
    try:
        return [_out(answer) for answer in await repository.all_answers(session)]
    except (OperationalError, ProgrammingError) as error:
        raise _missing_tables() from error


async def _existing(session: AsyncSession, topic: str) -> Answer:
    try:
        answer = await repository.answer(session, topic)
    except (OperationalError, ProgrammingError) as error:
        raise _missing_tables() from error
    if answer is None:
        raise NotFound(f"There is no answer for the topic {topic!r}.")
    return answer


async def history(session: AsyncSession, topic: str) -> list[AnswerVersionOut]:
    """Who changed an answer, to what, and when: newest first."""
    await _existing(session, topic)
    rows: Sequence[AnswerVersion] = await repository.history(session, topic, HISTORY_LIMIT)
    return [AnswerVersionOut.model_validate(row) for row in rows]


async def edit(
    session: AsyncSession, topic: str, body: AnswerEdit, by: str, now: datetime
) -> AnswerOut:
    """Save a new version of both languages; 409 when someone saved in between."""
    current = await _existing(session, topic)
    unchanged = (current.body_en, current.body_nl) == (body.body_en, body.body_nl)
    if unchanged and current.version == body.base_version:
        # Saving the same text twice adds no version.
        return _out(current)
    written = await repository.replace_if_current(
        session, topic, body.base_version, body.body_en, body.body_nl, by, now
    )
    if not written:
        raise Conflict(
            f"This answer was changed in the meantime (now version {current.version}); "
            "reload it and make your change again."
        )
    repository.add_version(session, AnswerVersion(
        topic=topic, version=body.base_version + 1, body_en=body.body_en,
        body_nl=body.body_nl, changed_at=now, changed_by=by, note=body.note or None,
    ))
    await session.flush()
    saved = await repository.answer(session, topic)
    assert saved is not None  # just written in this transaction
    return _out(saved)
