"""Ticket test data."""

from __future__ import annotations

from typing import Any


def escalation(
    conversation_id: str = "conv-1",
    *,
    language: str = "nl",
    reason: str = "fallback",
    text: str = "Waar blijft mijn pakket?",
    channel: str = "socketio",
) -> dict[str, Any]:
    """An escalation body as the action server sends it (docs/contracts.md)."""
    return {
        "channel": channel,
        "conversation_id": conversation_id,
        "language": language,
        "reason": reason,
        "customer_message": text,
        "transcript": [
            {"role": "customer", "text": "Hoi", "at": "2026-11-22T10:00:00+00:00"},
            {
                "role": "assistant",
                "text": "Hoi! Waarmee kan ik je helpen?",
                "at": "2026-11-22T10:00:01+00:00",
            },
            {"role": "customer", "text": text, "at": "2026-11-22T10:00:30+00:00"},
        ],
        "intents": [{"name": "order_status", "confidence": 0.41}],
        "entities": [{"entity": "order_number", "value": "LC-1234"}],
        "attempted": ["action_order_status"],
    }
