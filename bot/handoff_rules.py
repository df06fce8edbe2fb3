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
CSAT_ANSWER_ACTION = "action_csat_answer"
CSAT_COMMENT_ACTION = "action_csat_comment"
CSAT_AWAITING_COMMENT_SLOT = "csat_awaiting_comment"
# The survey's buttons (payloads) and what they run.
CSAT_INTENT_ACTIONS: Dict[str, str] = {
    "csat_answer": CSAT_ANSWER_ACTION,
    "csat_no_comment": CSAT_COMMENT_ACTION,
}
# While the optional comment is awaited, these still mean a new request, not a comment.
NOT_A_COMMENT = frozenset(
    {
        "product_search", "product_availability", "product_price", "product_details",
        "return_policy", "return_start", "refund_status", "order_status", "event_list",
        "event_details", "event_signup", "human_handoff", "change_language",
    }
)

# Intents the inbox sends through Rasa's trigger_intent API, and what they run.
EXTERNAL_INTENT_ACTIONS: Dict[str, str] = {
    "EXTERNAL_agent_message": RELAY_ACTION,
    "EXTERNAL_handback": HANDBACK_ACTION,
}

# After these actions the assistant waits for the customer, whatever else predicts.
ACTIONS_FOLLOWED_BY_LISTEN = frozenset(
    {
        FORWARD_ACTION, RELAY_ACTION, HANDBACK_ACTION, ESCALATE_ACTION, OFF_TOPIC_ACTION,
        CSAT_ANSWER_ACTION, CSAT_COMMENT_ACTION,
    }
)


def next_handoff_action(
    latest_action: Optional[str],
    latest_intent: Optional[str],
    human_owned: bool,
    awaiting_comment: bool = False,
    previous_action: Optional[str] = None,
) -> Optional[str]:
    """The action the hand-off requires next, or None to let the other policies decide.

    `previous_action` is the assistant's last action before the customer's message:
    only the message right after the comment offer (or the "go ahead") is a comment.
    """
    if latest_action in ACTIONS_FOLLOWED_BY_LISTEN:
        return ACTION_LISTEN
    if latest_action != ACTION_LISTEN:
        return None
    if latest_intent in EXTERNAL_INTENT_ACTIONS:
        return EXTERNAL_INTENT_ACTIONS[latest_intent]
    if human_owned:
        return FORWARD_ACTION
    if latest_intent in CSAT_INTENT_ACTIONS:
        return CSAT_INTENT_ACTIONS[latest_intent]
    if (
        awaiting_comment
        and previous_action in (CSAT_ANSWER_ACTION, CSAT_COMMENT_ACTION)
        and latest_intent not in NOT_A_COMMENT
    ):
        return CSAT_COMMENT_ACTION
    return None
