"""Which typed `/intent{...}` payloads a customer may send: pure rules for bot/payload_guard.py.

Rasa reads any message that starts with "/" as the intent and entities it names (its
RegexMessageHandler), so a customer could type what only the system may say: the inbox's
`EXTERNAL_*` intents, Rasa's own `restart` (which would end a colleague's ownership), or
the entities that carry an agent's reply and its proof of origin. Button payloads of the
public intents stay what they are.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Sequence

INTENT_PREFIX = "/"
# The inbox sends these through Rasa's trigger_intent API, which never passes through NLU.
SYSTEM_INTENT_PREFIX = "EXTERNAL_"
# Rasa's built-in intents that only Rasa itself or its HTTP API should set.
SYSTEM_INTENTS = frozenset({"restart", "session_start", "back", "nlu_fallback"})
# Entities that only trigger_intent may carry (docs/contracts.md).
SYSTEM_ENTITIES = frozenset({"agent_message", "delivery_id", "delivery_signature"})


def is_system_intent(name: str) -> bool:
    """Whether only the system (never a customer's message) may set this intent."""
    return name.startswith(SYSTEM_INTENT_PREFIX) or name in SYSTEM_INTENTS


def safe_payload_text(
    text: str, intent: Optional[str], entities: Sequence[Dict[str, Any]]
) -> Optional[str]:
    """The text to parse instead of a typed payload, or None when the payload may stand.

    `intent` and `entities` are what Rasa would read from `text` (None: not a payload).
    A system intent loses its "/" and is read as words; system entities are dropped from
    a public intent's payload.
    """
    if intent is None:
        return None
    if is_system_intent(intent):
        stripped = text.strip()
        return stripped[len(INTENT_PREFIX):] if stripped.startswith(INTENT_PREFIX) else stripped
    kept: List[Dict[str, Any]] = [e for e in entities if e.get("entity") not in SYSTEM_ENTITIES]
    if len(kept) == len(entities):
        return None
    values: Dict[str, List[Any]] = {}
    for entity in kept:
        values.setdefault(str(entity["entity"]), []).append(entity.get("value"))
    # Rasa reads a list as several values of one entity, so one value stays a scalar.
    payload = {name: found[0] if len(found) == 1 else found for name, found in values.items()}
    suffix = json.dumps(payload, ensure_ascii=False) if payload else ""
    return f"{INTENT_PREFIX}{intent}{suffix}"
