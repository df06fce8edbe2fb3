"""Review queue test data: escalations arriving the way the action server sends them."""

from __future__ import annotations

import httpx

from tests.inbox_api.tickets.factories import escalation


async def escalate(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    conversation_id: str,
    text: str,
    *,
    language: str = "nl",
    reason: str = "fallback",
    intent: str = "order_status",
    confidence: float = 0.41,
) -> int:
    """Escalate one message; returns the ticket id."""
    body = escalation(conversation_id, language=language, reason=reason, text=text)
    body["intents"] = [
        {"name": "nlu_fallback", "confidence": 0.7},
        {"name": intent, "confidence": confidence},
    ]
    response = await client.post("/api/v1/escalations", json=body, headers=headers)
    assert response.status_code in (200, 201), response.text
    ticket_id: int = response.json()["ticket_id"]
    return ticket_id
