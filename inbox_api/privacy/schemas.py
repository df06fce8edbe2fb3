"""Privacy API shapes: reveals and their audit log."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from inbox_api.schemas import Instant


class RevealIn(BaseModel):
    """Why a staff member reveals masked data (optional, kept in the audit log)."""

    reason: str | None = Field(default=None, max_length=500)


class RevealOut(BaseModel):
    """The unmasked text of one message (this reveal is in the audit log)."""

    message_id: int
    text: str
    audit_id: int


class PacketRevealOut(BaseModel):
    """A ticket's escalation packet unmasked (this reveal is in the audit log)."""

    ticket_id: int
    packet: dict[str, Any]
    audit_id: int


class RevealRecordOut(BaseModel):
    """One line of the audit log: who saw what, when and why."""

    id: int
    staff_id: int | None
    staff_name: str | None
    ticket_id: int
    message_id: int | None
    reason: str | None
    at: Instant


class RevealPage(BaseModel):
    """A page of the audit log, newest first."""

    items: list[RevealRecordOut]
    total: int
    limit: int
    offset: int
