"""The brand's own answer for a topic, where a knowledge base exists (the hook for it).

The knowledge base (FAQ answers per topic and language) is being added to the catalogue's
tables by another change. Until it lands there is no brand answer and the staff page shows
none; when it does, this function reads it by SQL like catalogue_reader does, and nothing
else changes (the API field `brand_answer` and the page are already there).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class BrandAnswer:
    """The brand's answer to a topic in one language."""

    topic: str
    text: str


async def brand_answer(session: AsyncSession, topic: str, language: str) -> BrandAnswer | None:
    """The brand answer for the predicted topic in the ticket's language; None without one."""
    del session, topic, language
    return None
