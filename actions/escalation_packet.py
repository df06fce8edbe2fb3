"""What the tracker tells a colleague: the reason, transcript and attempts of an escalation.

`escalation_packet` builds the body of POST /api/v1/escalations (docs/contracts.md) from the
conversation as Rasa sent it; the review reports reuse the same readings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker

from actions.domain_names import (
    ACTION_CLARIFY,
    ACTION_ESCALATE,
    ACTION_FORWARD_TO_INBOX,
    ACTION_OFF_TOPIC,
    ENTITY_AGENT_MESSAGE,
    INTENT_AFFIRM,
    INTENT_COMPLAINT,
    INTENT_DENY,
    INTENT_HUMAN_HANDOFF,
    INTENT_NLU_FALLBACK,
    INTENT_OUT_OF_SCOPE,
    REASON_ACTION_ERROR,
    REASON_COMPLAINT,
    REASON_FALLBACK,
    REASON_HUMAN_HANDOFF,
    REASON_OUT_OF_SCOPE,
    SLOT_VERIFICATION_LOCKOUT,
)
from actions.language import conversation_language
from kit.clock import utc_now

TRANSCRIPT_LIMIT = 50
INTENT_LIMIT = 5
# Every field of the packet fits the inbox's limits (docs/contracts.md): a long message is
# shortened here rather than refused there, because a refusal would lose the escalation.
TEXT_LIMIT = 4000
CHANNEL_LIMIT = 50
NAME_LIMIT = 100
ENTITY_VALUE_LIMIT = 500
ENTITY_LIMIT = 20
ATTEMPTED_LIMIT = 20
ELLIPSIS = "…"

_REASON_BY_INTENT = {
    INTENT_HUMAN_HANDOFF: REASON_HUMAN_HANDOFF,
    INTENT_COMPLAINT: REASON_COMPLAINT,
    INTENT_OUT_OF_SCOPE: REASON_OUT_OF_SCOPE,
    INTENT_NLU_FALLBACK: REASON_FALLBACK,
}

# Actions that run every turn and say nothing about what the assistant tried.
_BOOKKEEPING_ACTIONS = frozenset(
    {
        "action_listen",
        "action_session_start",
        "action_extract_slots",
        "action_validate_slot_mappings",
        ACTION_ESCALATE,
        ACTION_FORWARD_TO_INBOX,
    }
)


def escalation_reason(tracker: Tracker) -> str:
    """Why this conversation goes to a human, from the latest intent (contract reasons)."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in _REASON_BY_INTENT:
        return _REASON_BY_INTENT[intent]
    if intent == INTENT_DENY and last_action_before_latest_message(tracker) == ACTION_CLARIFY:
        # The customer rejected both interpretations we offered.
        return REASON_FALLBACK
    if intent == INTENT_AFFIRM and last_action_before_latest_message(tracker) == ACTION_OFF_TOPIC:
        # "Yes" to the colleague the assistant offered: the customer asked.
        return REASON_HUMAN_HANDOFF
    return REASON_ACTION_ERROR


def last_action_before_latest_message(tracker: Tracker) -> str | None:
    """The action the assistant ran just before the customer's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name not in ("action_listen", "action_validate_slot_mappings"):
                return str(name)
    return None


def _at(event: dict[str, Any]) -> str:
    timestamp = event.get("timestamp")
    if isinstance(timestamp, int | float):
        return datetime.fromtimestamp(timestamp, UTC).isoformat()
    return utc_now().isoformat()


def shorten(text: str, limit: int) -> str:
    """The text cut to `limit` characters, ending in "…" when anything was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def is_payload(text: str) -> bool:
    """Whether a customer message is a button payload ("/intent{...}"), not words."""
    return text.lstrip().startswith("/")


def is_button_press(event: Mapping[str, Any]) -> bool:
    """Whether Rasa read this customer event as a payload rather than as words.

    The text NLU parsed decides: a typed "/EXTERNAL_handback" is read as words
    (bot/payload_guard.py), so the colleague sees what the customer typed.
    """
    parsed = (event.get("parse_data") or {}).get("text")
    text = parsed if isinstance(parsed, str) else event.get("text")
    return isinstance(text, str) and is_payload(text)


def transcript(tracker: Tracker) -> list[dict[str, str]]:
    """The conversation so far as customer/assistant lines (button payloads left out)."""
    lines: list[dict[str, str]] = []
    for event in tracker.events:
        kind, text = event.get("event"), event.get("text")
        if not isinstance(text, str) or not text:
            continue
        if kind == "user" and not is_button_press(event):
            lines.append({"role": "customer", "text": shorten(text, TEXT_LIMIT), "at": _at(event)})
        elif kind == "bot" and not is_payload(text):
            lines.append({"role": "assistant", "text": shorten(text, TEXT_LIMIT), "at": _at(event)})
    return lines[-TRANSCRIPT_LIMIT:]


def customer_message(tracker: Tracker) -> str:
    """The customer's latest words (a button press stands for the message before it)."""
    for event in reversed(tracker.events):
        text = event.get("text")
        is_words = isinstance(text, str) and bool(text) and not is_button_press(event)
        if event.get("event") == "user" and is_words:
            return shorten(str(text), TEXT_LIMIT)
    return ""


def attempted_actions(tracker: Tracker) -> list[str]:
    """Actions the assistant ran since the customer's latest message."""
    attempted: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        name = event.get("name")
        if event.get("event") == "action" and name and name not in _BOOKKEEPING_ACTIONS:
            attempted.append(shorten(str(name), NAME_LIMIT))
    return list(reversed(attempted))[-ATTEMPTED_LIMIT:]


def lockout_entity(tracker: Tracker) -> list[dict[str, Any]]:
    """The order-verification lockout, shown to the colleague with the packet's entities."""
    note = tracker.get_slot(SLOT_VERIFICATION_LOCKOUT)
    if not note:
        return []
    return [{"entity": SLOT_VERIFICATION_LOCKOUT, "value": shorten(str(note), ENTITY_VALUE_LIMIT)}]


def _entity_value(value: Any) -> Any:
    # Extractors give strings (sometimes numbers); anything else is shown as text.
    if isinstance(value, bool | int | float) or value is None:
        return value
    return shorten(str(value), ENTITY_VALUE_LIMIT)


def keyed_intent(parse: Mapping[str, Any], name: str) -> str:
    """An intent's name; a retrieval intent with its answer key (faq -> faq/shipping_costs)."""
    selector = (parse.get("response_selector") or {}).get(name) or {}
    key = (selector.get("response") or {}).get("intent_response_key")
    return str(key) if key else name


def escalation_packet(tracker: Tracker, reason: str) -> dict[str, Any]:
    """The JSON body of POST /api/v1/escalations for this conversation."""
    latest = tracker.latest_message or {}
    ranking = latest.get("intent_ranking") or ([latest["intent"]] if latest.get("intent") else [])
    return {
        "channel": shorten(tracker.get_latest_input_channel() or "rest", CHANNEL_LIMIT),
        # Never shortened: the inbox answers the conversation by this id.
        "conversation_id": tracker.sender_id,
        "language": conversation_language(tracker),
        "reason": reason,
        "customer_message": customer_message(tracker),
        "transcript": transcript(tracker),
        "intents": [
            {
                # The inbox offers the brand answer of a FAQ topic (faq/<topic>).
                "name": shorten(keyed_intent(latest, str(item.get("name"))), NAME_LIMIT),
                "confidence": float(item.get("confidence") or 0.0),
            }
            for item in ranking[:INTENT_LIMIT]
            if item.get("name")
        ],
        "entities": [
            {
                "entity": shorten(str(item.get("entity")), NAME_LIMIT),
                "value": _entity_value(item.get("value")),
            }
            for item in latest.get("entities") or []
            if item.get("entity") != ENTITY_AGENT_MESSAGE
        ][: ENTITY_LIMIT - 1]
        + lockout_entity(tracker),
        "attempted": attempted_actions(tracker),
        **customer_context(tracker),
    }


POST_TEXT_LIMIT = 2000
CUSTOMER_NAME_LIMIT = 200


def customer_context(tracker: Tracker) -> dict[str, Any]:
    """The customer's name and a comment's post, as the channel connector put them on the
    latest customer message (bot/channels: Graph profile, WhatsApp contact, the post)."""
    metadata: Mapping[str, Any] = {}
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            metadata = event.get("metadata") or {}
            break
    context: dict[str, Any] = {}
    name = metadata.get("display_name")
    if isinstance(name, str) and name.strip():
        context["customer_name"] = shorten(name.strip(), CUSTOMER_NAME_LIMIT)
    post = metadata.get("post")
    if isinstance(post, Mapping) and isinstance(post.get("id"), str):
        permalink = post.get("permalink")
        context["post"] = {
            "id": shorten(post["id"], NAME_LIMIT),
            "text": shorten(str(post.get("text") or ""), POST_TEXT_LIMIT),
            "permalink": permalink if isinstance(permalink, str) else None,
        }
    return context
