"""While a colleague owns the conversation the assistant only forwards messages."""

from __future__ import annotations

import pytest

from bot.handoff_rules import next_handoff_action


@pytest.mark.parametrize("intent", ["greet", "product_price", "complaint", "nlu_fallback", None])
def test_every_customer_message_is_forwarded_while_human_owned(intent: str | None) -> None:
    assert next_handoff_action("action_listen", intent, human_owned=True) == (
        "action_forward_to_inbox"
    )


def test_the_assistant_waits_after_forwarding() -> None:
    assert next_handoff_action("action_forward_to_inbox", "greet", True) == "action_listen"


def test_agent_messages_and_handback_route_to_their_actions() -> None:
    for owned in (True, False):
        assert next_handoff_action("action_listen", "EXTERNAL_agent_message", owned) == (
            "action_relay_agent_message"
        )
        assert next_handoff_action("action_listen", "EXTERNAL_handback", owned) == (
            "action_handback"
        )


@pytest.mark.parametrize(
    "action",
    ["action_escalate", "action_relay_agent_message", "action_handback"],
)
def test_listen_after_hand_off_actions(action: str) -> None:
    assert next_handoff_action(action, "complaint", human_owned=False) == "action_listen"


def test_abstains_when_the_assistant_is_in_charge() -> None:
    assert next_handoff_action("action_listen", "product_price", human_owned=False) is None
    assert next_handoff_action("utter_greet", "greet", human_owned=False) is None
    # Mid-turn, after another action, the other policies decide too.
    assert next_handoff_action("action_product_price", "product_price", True) is None


def test_survey_buttons_route_to_the_survey_actions() -> None:
    assert next_handoff_action("action_listen", "csat_answer", False) == "action_csat_answer"
    assert next_handoff_action("action_listen", "csat_no_comment", False) == (
        "action_csat_comment"
    )
    # A colleague owning a new ticket hears everything, a stray survey button too.
    assert next_handoff_action("action_listen", "csat_answer", True) == "action_forward_to_inbox"
    assert next_handoff_action("action_csat_answer", "csat_answer", False) == "action_listen"


@pytest.mark.parametrize("intent", ["nlu_fallback", "complaint", "thank", "deny", "greet"])
def test_the_message_right_after_the_comment_offer_is_the_comment(intent: str) -> None:
    assert (
        next_handoff_action(
            "action_listen", intent, False, awaiting_comment=True,
            previous_action="action_csat_answer",
        )
        == "action_csat_comment"
    )


def test_a_new_question_or_a_later_message_is_no_comment() -> None:
    # A real request goes to the assistant, not into the survey.
    assert (
        next_handoff_action(
            "action_listen", "order_status", False, awaiting_comment=True,
            previous_action="action_csat_answer",
        )
        is None
    )
    # Once the assistant did something else, the offer has passed.
    assert (
        next_handoff_action(
            "action_listen", "nlu_fallback", False, awaiting_comment=True,
            previous_action="action_product_price",
        )
        is None
    )
    assert (
        next_handoff_action(
            "action_listen", "nlu_fallback", False, awaiting_comment=False,
            previous_action="action_csat_answer",
        )
        is None
    )
