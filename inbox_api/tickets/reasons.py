"""Why a ticket exists, in two classes: the customer asked, or the assistant gave up.

The escalation packet's `reason` (docs/contracts.md) decides the class. Agents filter the
queue by it: a customer who asked for a person waits for one, while a ticket the assistant
opened itself (not understood twice, a shop question it could not answer, an error) is
also material for the trainers.
"""

from __future__ import annotations

from typing import Literal, get_args

Reason = Literal[
    "fallback", "out_of_scope", "human_handoff", "complaint", "action_error", "customer_message"
]
ReasonClass = Literal["customer_request", "assistant"]

REASON_CLASS: dict[str, ReasonClass] = {
    # The customer asked: for a person, with a complaint, or wrote while a person had the chat.
    "human_handoff": "customer_request",
    "complaint": "customer_request",
    "customer_message": "customer_request",
    # The assistant handed over on its own.
    "fallback": "assistant",
    "out_of_scope": "assistant",
    "action_error": "assistant",
}
assert set(REASON_CLASS) == set(get_args(Reason))


def reason_class(reason: str) -> ReasonClass:
    """The class of an escalation reason (an unknown, older reason counts as the assistant's)."""
    return REASON_CLASS.get(reason, "assistant")


def reasons_in(wanted: ReasonClass) -> list[str]:
    """The reasons of one class, for the queue filter."""
    return sorted(reason for reason, kind in REASON_CLASS.items() if kind == wanted)
