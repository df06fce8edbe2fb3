"""The brand's own answer (the FAQ answers trainers edit at /staff/answers/) for a ticket's topic.

The answer is read from `faq_answers` through the brand_answers domain, which maps the table
from its one declaration in kit/answer_tables.py; the same row the assistant answers with, so
an edit on the trainer page shows in the ticket view at the next look.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from inbox_api.brand_answers import repository

# The retrieval intent whose keys name the FAQ topics (faq/shipping_costs).
FAQ_INTENT = "faq"


@dataclass(frozen=True)
class BrandAnswer:
    """The brand's answer to a topic in one language."""

    topic: str
    title: str
    text: str


def faq_topic(intent: str) -> str | None:
    """The FAQ topic an intent names (faq/shipping_costs -> shipping_costs), else None."""
    base, _, key = intent.partition("/")
    return key or None if base == FAQ_INTENT else None


async def brand_answer(session: AsyncSession, intent: str, language: str) -> BrandAnswer | None:
    """The brand answer for the predicted FAQ topic in the ticket's language; None without one."""
    topic = faq_topic(intent)
    if topic is None:
        return None
    answer = await repository.answer(session, topic)
    if answer is None:
        return None
    if language == "nl":
        return BrandAnswer(topic=topic, title=answer.title_nl, text=answer.body_nl)
    return BrandAnswer(topic=topic, title=answer.title_en, text=answer.body_en)
