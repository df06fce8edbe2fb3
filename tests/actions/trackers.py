"""The one way tests build a real rasa_sdk Tracker: slots, events and the latest message."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def parse_data(
    text: str | None,
    intent: str = "test",
    *,
    confidence: float = 1.0,
    ranking: list[dict[str, Any]] | None = None,
    entities: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """What Rasa's NLU made of a message (the `latest_message` shape)."""
    data: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "entities": entities or [],
        **extra,
    }
    if ranking is not None:
        data["intent_ranking"] = ranking
    return data


def user_event(
    parsed: dict[str, Any], *, channel: str | None = None, timestamp: float | None = None
) -> dict[str, Any]:
    """A customer message event carrying its parse data."""
    event: dict[str, Any] = {"event": "user", "text": parsed.get("text"), "parse_data": parsed}
    if channel is not None:
        event["input_channel"] = channel
    if timestamp is not None:
        event["timestamp"] = timestamp
    return event


def make_tracker(
    *,
    sender_id: str = "test-conversation",
    slots: dict[str, Any] | None = None,
    latest: dict[str, Any] | None = None,
    events: list[dict[str, Any]] | None = None,
    active_loop: str | dict[str, Any] | None = None,
) -> Tracker:
    """A real Tracker as the action server receives it from Rasa."""
    if isinstance(active_loop, str):
        active_loop = {"name": active_loop}
    return Tracker(
        sender_id=sender_id,
        slots=slots or {},
        latest_message=latest if latest is not None else parse_data(""),
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop=active_loop or {},
        latest_action_name="action_listen",
    )
