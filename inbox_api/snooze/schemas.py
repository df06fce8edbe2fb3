"""Snooze API shapes."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, model_validator


class SnoozeIn(BaseModel):
    """Snooze until a time (with its offset) or until the customer answers; one of the two."""

    until: AwareDatetime | None = None
    until_customer_replies: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> SnoozeIn:
        if (self.until is None) == (not self.until_customer_replies):
            raise ValueError("give either until or until_customer_replies: true")
        return self
