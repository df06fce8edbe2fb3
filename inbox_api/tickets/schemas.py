"""Ticket API shapes (the escalation shapes are fixed by docs/contracts.md)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from inbox_api.csat.schemas import CsatOut
from inbox_api.schemas import Instant
from inbox_api.tickets.channels import fallback_name
from inbox_api.tickets.reasons import Reason, ReasonClass, reason_class
from kit.personal_data import mask, mask_value

Status = Literal["open", "waiting_on_customer", "resolved"]
Priority = Literal["urgent", "high", "normal", "low"]
Language = Literal["nl", "en"]
MAX_TEXT = 4000


# The escalation packet is context, not the customer's words: an odd packet is trimmed to fit
# rather than refused, because refusing it would lose the escalation itself.
MAX_TRANSCRIPT_LINES = 200


def _clip(value: object, limit: int) -> object:
    return value[:limit] if isinstance(value, str) else value


class TranscriptLine(BaseModel):
    """One line of the conversation before the escalation."""

    role: Literal["customer", "assistant"]
    text: str
    at: Instant | None = None

    @field_validator("role", mode="before")
    @classmethod
    def _known_role(cls, value: object) -> object:
        return "customer" if value in ("user", "customer") else "assistant"

    @field_validator("text", mode="before")
    @classmethod
    def _clip_text(cls, value: object) -> object:
        return _clip(value, MAX_TEXT)


class IntentGuess(BaseModel):
    """An intent the assistant considered, with its confidence."""

    name: str
    confidence: float = Field(ge=0, le=1)

    @field_validator("name", mode="before")
    @classmethod
    def _clip_name(cls, value: object) -> object:
        return _clip(value, 100)


class EntityValue(BaseModel):
    """An entity the assistant extracted."""

    entity: str
    value: JsonValue = None

    @field_validator("entity", mode="before")
    @classmethod
    def _clip_entity(cls, value: object) -> object:
        return _clip(value, 100)


class PostContext(BaseModel):
    """The post a public comment was written under (from the Graph API), for the agent."""

    id: str = Field(max_length=200)
    text: str = ""
    permalink: str | None = None

    @field_validator("text", mode="before")
    @classmethod
    def _clip_text(cls, value: object) -> object:
        return _clip(value, 2000) if value is not None else ""

    @field_validator("permalink")
    @classmethod
    def _web_link(cls, value: str | None) -> str | None:
        # Shown as a link on the staff page: only http(s), never javascript: and the like.
        if value is None or not value.startswith(("https://", "http://")) or len(value) > 1000:
            return None
        return value


class EscalationIn(BaseModel):
    """What the action server sends when the assistant hands a conversation to humans."""

    channel: str = Field(min_length=1, max_length=50)
    conversation_id: str = Field(min_length=1, max_length=200)
    language: Language
    reason: Reason
    customer_message: str = Field(max_length=MAX_TEXT)
    transcript: list[TranscriptLine] = Field(default_factory=list)
    intents: list[IntentGuess] = Field(default_factory=list)
    entities: list[EntityValue] = Field(default_factory=list)
    attempted: list[str] = Field(default_factory=list)
    # The customer's name as their platform gives it (Meta channels), when known.
    customer_name: str | None = None
    # A public comment's post.
    post: PostContext | None = None

    @field_validator("customer_name", mode="before")
    @classmethod
    def _clip_name(cls, value: object) -> object:
        if isinstance(value, str):
            value = " ".join(value.split())[:200]
            return value or None
        return value

    @field_validator("transcript", mode="before")
    @classmethod
    def _latest_lines(cls, value: object) -> object:
        return value[-MAX_TRANSCRIPT_LINES:] if isinstance(value, list) else value

    @field_validator("intents", "entities", "attempted", mode="before")
    @classmethod
    def _first_fifty(cls, value: object) -> object:
        return value[:50] if isinstance(value, list) else value

    @field_validator("customer_message")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value


class EscalationSla(BaseModel):
    """The promise made to the customer."""

    first_response_due_at: Instant | None


class EscalationOut(BaseModel):
    """The ticket that now holds the conversation."""

    ticket_id: int
    status: Status
    priority: Priority
    sla: EscalationSla


class StaffRef(BaseModel):
    """A staff member named on a ticket."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class TicketSummary(BaseModel):
    """A ticket as it appears in the queue."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    channel: str
    conversation_id: str
    language: Language
    reason: str
    status: Status
    priority: Priority
    assignee: StaffRef | None
    tags: list[str]
    escalated_at: Instant
    updated_at: Instant
    sla_due_at: Instant | None
    first_response_due_at: Instant | None
    next_response_due_at: Instant | None
    resolution_due_at: Instant | None
    # The customer's name from their platform, or channels.fallback_name when it gave none.
    customer_name: str = ""
    # Meta's 24-hour window (null on channels without one); the queue warns 2 hours before.
    reply_window_closes_at: Instant | None = None
    # "time" (until snoozed_until) or "reply" (until the customer writes); None when awake.
    snooze_mode: Literal["time", "reply"] | None = None
    snoozed_until: Instant | None = None
    preview: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def reason_class(self) -> ReasonClass:
        """Whether the customer asked for a person or the assistant handed over on its own."""
        return reason_class(self.reason)

    @classmethod
    def from_queue_row(cls, row: dict[str, Any]) -> TicketSummary:
        """A queue row (repository.list_tickets) as a summary; the row's values are trusted."""
        assignee_id = row["assignee_id"]
        return cls.model_construct(
            **{k: row[k] for k in _ROW_FIELDS},
            customer_name=row["customer_name"]
            or fallback_name(row["channel"], row["conversation_id"]),
            assignee=StaffRef.model_construct(id=assignee_id, name=row["assignee_name"])
            if assignee_id is not None
            else None,
            # Staff see the queue masked; a ticket's own page can reveal one message.
            preview=mask(row["preview"] or ""),
        )

    @field_validator("customer_name", mode="before")
    @classmethod
    def _known_or_fallback(cls, value: object, info: ValidationInfo) -> object:
        if value:
            return value
        data = info.data
        return fallback_name(str(data.get("channel", "")), str(data.get("conversation_id", "")))


# What a queue row carries as is (the database already typed and checked every value).
_ROW_FIELDS = (
    "id",
    "channel",
    "conversation_id",
    "language",
    "reason",
    "status",
    "priority",
    "tags",
    "escalated_at",
    "updated_at",
    "sla_due_at",
    "first_response_due_at",
    "next_response_due_at",
    "resolution_due_at",
    "reply_window_closes_at",
    "snooze_mode",
    "snoozed_until",
)


class TicketPage(BaseModel):
    """One page of the queue."""

    items: list[TicketSummary]
    total: int
    # True when there are more than `total` matching tickets (counting stops at 10,000).
    total_capped: bool = False
    limit: int
    offset: int
    # When the next timed snooze ends: the page reloads the queue then.
    next_snooze_end_at: Instant | None = None


class MessageOut(BaseModel):
    """A line of the ticket, with its delivery state for agent replies."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    role: Literal["customer", "assistant", "agent", "note"]
    text: str
    author: StaffRef | None
    created_at: Instant
    delivery_state: str | None
    delivery_attempts: int
    delivered_at: Instant | None
    delivery_error: str | None
    # True when personal data in `text` is hidden; POST .../reveal shows it (and is audited).
    masked: bool = False
    sent_as: Literal["human_agent", "template"] | None = None
    channel_status: Literal["sent", "delivered", "read", "failed"] | None = None
    channel_status_at: Instant | None = None

    @classmethod
    def shown(cls, message: object) -> MessageOut:
        """A message as staff see it by default: the customer's personal data masked."""
        out = cls.model_validate(message)
        if out.role != "customer":
            return out
        text = mask(out.text)
        return out.model_copy(update={"text": text, "masked": text != out.text})


def masked_packet(packet: dict[str, Any]) -> dict[str, Any]:
    """The escalation packet with personal data masked (transcript lines, entity values)."""
    shown = dict(packet)
    for key in ("transcript", "entities"):
        if key in shown:
            shown[key] = mask_value(shown[key])
    return shown


class ClockOut(BaseModel):
    """One SLA clock."""

    state: str
    cycle: int
    due_at: Instant | None
    warning_at: Instant | None
    done_at: Instant | None
    remaining_seconds: int


class SlaOut(BaseModel):
    """The three deadlines of a ticket, each with its state."""

    first_response_due_at: Instant | None
    first_response_state: str | None
    next_response_due_at: Instant | None
    next_response_state: str | None
    resolution_due_at: Instant | None
    resolution_state: str | None
    clocks: dict[str, ClockOut]


class StatusChangeOut(BaseModel):
    """A status change in the ticket's history."""

    model_config = ConfigDict(from_attributes=True)

    from_status: str
    to_status: str
    at: Instant


class ReplyWindowOut(BaseModel):
    """Meta's messaging window (Messenger, Instagram, WhatsApp): how long a reply can go."""

    closes_at: Instant
    human_agent_until: Instant | None
    state: Literal["open", "human_agent", "template_only", "closed"]
    seconds_left: int
    warning: bool


class TicketDetail(TicketSummary):
    """A ticket with everything an agent needs to answer it."""

    packet: dict[str, object]
    # True when personal data in the packet is masked (POST .../packet/reveal shows it).
    packet_masked: bool = False
    messages: list[MessageOut]
    status_changes: list[StatusChangeOut]
    sla: SlaOut
    reply_window: ReplyWindowOut | None = None
    # The satisfaction survey, once the customer was asked.
    csat: CsatOut | None = None


ReplyMode = Literal["text", "template"]


class ReplyIn(BaseModel):
    """An agent's reply: their text, or (WhatsApp past 24 hours) the approved template."""

    text: str = Field("", max_length=MAX_TEXT)
    mode: ReplyMode = "text"

    @field_validator("text")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        # The delivery's template marker (docs/contracts.md) is the inbox's to write.
        if value.startswith("[[template:"):
            raise ValueError("must not start with [[template:")
        return value

    @model_validator(mode="after")
    def _text_for_text(self) -> ReplyIn:
        if self.mode == "text" and not self.text:
            raise ValueError("text must not be empty")
        return self


class ChannelStatusIn(BaseModel):
    """A status the customer's platform reported for a delivered reply (WhatsApp callbacks)."""

    status: Literal["sent", "delivered", "read", "failed"]
    at: Instant
    # Meta's reason for a failed message, as the connector words it.
    error: str | None = Field(None, max_length=500)


class TextIn(BaseModel):
    """A reply or a note."""

    text: str = Field(max_length=MAX_TEXT)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()


class StatusIn(BaseModel):
    """A status change."""

    status: Status


class TicketPatch(BaseModel):
    """Fields staff may change directly."""

    priority: Priority | None = None
    tags: list[str] | None = Field(default=None, max_length=20)

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        cleaned = [t.strip()[:40] for t in value if t.strip()]
        return list(dict.fromkeys(cleaned))
