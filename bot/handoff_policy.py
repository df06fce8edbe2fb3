"""Dialogue policy for the human hand-off: while a colleague owns the conversation the
assistant stays silent and forwards every customer message to the inbox.

Rules cannot say "any intent", so this policy does it: it runs before all others and
abstains (all-zero prediction) whenever the conversation is the assistant's own. The same
"any message" need comes back after a resolved ticket: the customer's optional comment on
the satisfaction question is whatever they type next.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.core.policies.policy import Policy, PolicyPrediction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.handoff_rules import (
    ACTION_LISTEN,
    CSAT_AWAITING_COMMENT_SLOT,
    HUMAN_OWNED_SLOT,
    next_handoff_action,
)


def action_before_latest_message(tracker: DialogueStateTracker) -> Optional[str]:
    """The assistant's last action (not listening) before the customer's latest message."""
    seen_message = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_message:
                return None
            seen_message = True
        elif (
            seen_message
            and isinstance(event, ActionExecuted)
            and event.action_name not in (None, ACTION_LISTEN)
        ):
            return event.action_name
    return None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False
)
class HumanHandoffPolicy(Policy):
    """Silences the assistant while `human_owned` is true and routes the inbox's intents."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """Runs ahead of RulePolicy (priority 6) and the ML policies."""
        return {"priority": 7}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Optional[Any] = None,
    ) -> None:
        """Creates the policy; it has no trained state."""
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    def train(
        self,
        training_trackers: List[TrackerWithCachedStates],
        domain: Domain,
        **kwargs: Any,
    ) -> Resource:
        """Nothing to learn: the behaviour is fixed by the hand-off contract."""
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        """Predicts the hand-off action for this turn, or abstains."""
        action = next_handoff_action(
            latest_action=tracker.latest_action_name,
            latest_intent=tracker.latest_message.intent.get("name")
            if tracker.latest_message
            else None,
            human_owned=bool(tracker.get_slot(HUMAN_OWNED_SLOT)),
            awaiting_comment=bool(tracker.get_slot(CSAT_AWAITING_COMMENT_SLOT)),
            previous_action=action_before_latest_message(tracker),
        )
        probabilities = self._default_predictions(domain)
        if action is None or action not in domain.action_names_or_texts:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        # A human owning the conversation overrules whatever the customer's words suggest.
        return self._prediction(probabilities, is_no_user_prediction=True)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "HumanHandoffPolicy":
        """Loads the policy (there is nothing persisted)."""
        return cls(config, model_storage, resource, execution_context)
