"""Delivery API shapes (docs/contracts.md)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RelayIn(BaseModel):
    """The action server is about to show a delivery to the customer of this conversation."""

    conversation_id: str = Field(min_length=1, max_length=200)


class RelayOut(BaseModel):
    """Go ahead: this delivery had not been relayed before."""

    delivery_id: int
    relay: bool = True
