"""What the hand-off requires next: pure rules, used by bot/handoff_policy.py."""

from __future__ import annotations

from typing import Dict, Optional

ACTION_LISTEN = "action_listen"
HUMAN_OWNED_SLOT = "human_owned"
FORWARD_ACTION = "action_forward_to_inbox"
RELAY_ACTION = "action_relay_agent_message"
HANDBACK_ACTION = "action_handback"
ESCALATE_ACTION = "action_escalate"
# Also runs as the follow-up of action_clarify, where no rule says what comes next.
OFF_TOPIC_ACTION = "action_off_topic"

# Intents the inbox sends through Rasa's trigger_intent API, and what they run.
EXTERNAL_INTENT_ACTIONS: Dict[str, str] = {
    "EXTERNAL_agent_message": RELAY_ACTION,
    "EXTERNAL_handback": HANDBACK_ACTION,
}

# After these actions the assistant waits for the customer, whatever else predicts.
ACTIONS_FOLLOWED_BY_LISTEN = frozenset(
    {FORWARD_ACTION, RELAY_ACTION, HANDBACK_ACTION, ESCALATE_ACTION, OFF_TOPIC_ACTION}
)


def next_handoff_action(
    latest_action: Optional[str], latest_intent: Optional[str], human_owned: bool
) -> Optional[str]:
    """The action the hand-off requires next, or None to let the other policies decide."""
    if latest_action in ACTIONS_FOLLOWED_BY_LISTEN:
        return ACTION_LISTEN
    if latest_action != ACTION_LISTEN:
        return None
    if latest_intent in EXTERNAL_INTENT_ACTIONS:
        return EXTERNAL_INTENT_ACTIONS[latest_intent]
    if human_owned:
        return FORWARD_ACTION
    return None
