"""Review queue API shapes."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inbox_api.schemas import Instant, RowId

Language = Literal["nl", "en"]
ReviewStatus = Literal["pending", "labelled", "dismissed"]


class TranscriptLine(BaseModel):
    """A line of the conversation before the message, for context."""

    role: str
    text: str


class IntentGuessIn(BaseModel):
    """An intent the assistant considered, with its confidence."""

    name: str = Field(min_length=1, max_length=100)
    confidence: float = Field(ge=0, le=1)


class ReportIn(BaseModel):
    """A message the assistant answered without being sure (sent by the action server)."""

    language: Language
    source: Literal["low_confidence", "clarified"]
    text: str = Field(min_length=1, max_length=4000)
    intents: list[IntentGuessIn] = Field(default_factory=list, max_length=20)
    # The conversation, so erasing a customer removes their reports too.
    channel: str | None = Field(default=None, min_length=1, max_length=50)
    conversation_id: str | None = Field(default=None, min_length=1, max_length=200)


class ReviewItemOut(BaseModel):
    """One message in the review queue, with what is known about it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    ticket_id: int | None
    source: str
    text: str
    language: str
    predicted_intent: str | None
    confidence: float | None
    status: ReviewStatus
    suggested_intent: str | None
    label_intent: str | None
    label_language: str | None
    label_text: str | None
    example_ref: str | None
    created_at: Instant
    decided_at: Instant | None
    agent_reply: str | None = None
    transcript: list[TranscriptLine] = []


class ReviewPage(BaseModel):
    """A page of the queue."""

    items: list[ReviewItemOut]
    total: int
    limit: int
    offset: int


class EntityMark(BaseModel):
    """A span of the (plain) text to mark as an entity."""

    start: int = Field(ge=0)
    end: int = Field(gt=0)
    entity: str = Field(min_length=1, max_length=100)


class LabelIn(BaseModel):
    """A trainer's label; `text` (optionally with entity markup) replaces the original."""

    intent: str = Field(min_length=1, max_length=100)
    language: Language
    text: str | None = Field(default=None, max_length=4000)
    entities: list[EntityMark] = Field(default_factory=list, max_length=20)


class RefusalOut(BaseModel):
    """Why an example was not written, in both languages."""

    code: str
    message_en: str
    message_nl: str


class LabelOutcome(BaseModel):
    """What happened to one item: written to data/nlu, refused with reasons, or dismissed."""

    item_id: int
    result: Literal["written", "refused", "dismissed", "skipped"]
    written: bool
    detail: str | None = None
    example_ref: str | None = None
    text: str | None = None
    refusals: list[RefusalOut] = []
    item: ReviewItemOut | None = None


class BulkIn(BaseModel):
    """The same decision for many items: dismiss them, or label them all alike."""

    ids: list[RowId] = Field(min_length=1, max_length=200)
    action: Literal["dismiss", "label"]
    # The same bounds as LabelIn, which each item is labelled through.
    intent: str | None = Field(default=None, min_length=1, max_length=100)
    language: Language | None = None

    @model_validator(mode="after")
    def _label_needs_intent(self) -> BulkIn:
        if self.action == "label" and (self.intent is None or self.language is None):
            raise ValueError("labelling in bulk needs an intent and a language")
        return self


class BulkOut(BaseModel):
    """One outcome per item."""

    outcomes: list[LabelOutcome]


class SuggestionIn(BaseModel):
    """An agent's guess of what the customer meant."""

    intent: str = Field(min_length=1, max_length=100)


class DomainOut(BaseModel):
    """The names a trainer may pick from."""

    intents: list[str]
    entities: list[str]
    languages: list[str]


class ParityRowOut(BaseModel):
    """Example counts of one intent."""

    intent: str
    counts: dict[str, int]
    in_domain: bool
    short_languages: list[str]
    flagged: bool


class TrainingIn(BaseModel):
    """Start a retrain; promote it when the gate allows."""

    promote: bool = True


class RollbackIn(BaseModel):
    """Roll back to a model that was in service before (default: the previous one)."""

    to: str | None = Field(default=None, max_length=100)


class GateCheckOut(BaseModel):
    """One comparison of the promotion gate, explained in both languages."""

    metric: str
    name: str
    baseline: float | None
    candidate: float | None
    allowed_drop: float
    passed: bool
    explanation_en: str
    explanation_nl: str


class JobOut(BaseModel):
    """A background job (train, promote, rollback) and its progress."""

    id: str
    kind: str
    status: str
    phase: str
    progress: float
    message: str
    model_id: str | None
    error: str | None
    promote: bool
    created_at: Instant
    finished_at: Instant | None
    checks: list[GateCheckOut] = []


class ModelOut(BaseModel):
    """A trained model with its latest scores."""

    id: str
    created_at: Instant
    status: str
    active: bool
    data_fingerprint: str
    training_seconds: float | None
    macro_f1: dict[str, float]
    rejection_rate: dict[str, float]
    checks: list[GateCheckOut] = []
