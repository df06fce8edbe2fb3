"""Saved reply API shapes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from inbox_api.saved_replies.templates import placeholders_in, template_problems, variables_in
from inbox_api.schemas import Instant
from inbox_api.tickets.schemas import MAX_TEXT, StaffRef

LANGUAGES = ("nl", "en")


class SavedReplyIn(BaseModel):
    """A saved reply as an admin writes it; a variant left empty is flagged as missing."""

    shortcut: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")
    title: str = Field(min_length=1, max_length=120)
    body_nl: str | None = Field(default=None, max_length=MAX_TEXT)
    body_en: str | None = Field(default=None, max_length=MAX_TEXT)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("body_nl", "body_en")
    @classmethod
    def _body(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        problems = template_problems(value)
        if problems:
            raise ValueError("; ".join(problems))
        return value.strip()

    @model_validator(mode="after")
    def _one_language(self) -> SavedReplyIn:
        if self.body_nl is None and self.body_en is None:
            raise ValueError("write at least one of body_nl and body_en")
        return self


class SavedReplyOut(BaseModel):
    """A saved reply with the languages it still lacks."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    shortcut: str
    title: str
    body_nl: str | None
    body_en: str | None
    missing_languages: list[Literal["nl", "en"]]
    variables: list[str]
    placeholders: list[str]
    updated_at: Instant

    @classmethod
    def of(cls, reply: Any) -> SavedReplyOut:
        """The API view of a SavedReply row."""
        bodies = [b for b in (reply.body_nl, reply.body_en) if b]
        joined = "\n".join(bodies)
        return cls(
            id=reply.id,
            shortcut=reply.shortcut,
            title=reply.title,
            body_nl=reply.body_nl,
            body_en=reply.body_en,
            missing_languages=[lang for lang in LANGUAGES if not reply.body(lang)],
            variables=variables_in(joined),
            placeholders=placeholders_in(joined),
            updated_at=reply.updated_at,
        )


class RenderedReplyOut(BaseModel):
    """A saved reply in the ticket's language with the ticket's values filled in."""

    shortcut: str
    language: Literal["nl", "en"]
    text: str
    # What the agent must still fill in before the reply can be sent.
    placeholders: list[str]


class SavedReplyChangeOut(BaseModel):
    """One audited change."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    saved_reply_id: int
    shortcut: str
    action: Literal["created", "updated", "deleted"]
    staff: StaffRef | None
    at: Instant
    before: dict[str, Any] | None
    after: dict[str, Any] | None
