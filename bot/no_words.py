"""NLU component, last in the pipeline: a message without words is not understood.

Whatever the classifier made of "", "👍👍" or "?!", the message becomes `nlu_fallback`
(confidence 1.0, no entities) and is tagged `no_words`, so the dialogue answers it like any
message it did not understand and the action server can say what it saw (bot/input_rules.py).
Button payloads never reach the pipeline: Rasa reads them before NLU.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.input_rules import NO_WORDS_KEY, has_words

FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class NoWordsFallback(GraphComponent):
    """Turns messages without a letter or digit into `nlu_fallback`, tagged `no_words`."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "NoWordsFallback":
        """Creates the component (nothing to train)."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves training data alone: every training example has words."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Overrides the classifier's reading of every message without words."""
        for message in messages:
            text = message.get(TEXT)
            if has_words(text if isinstance(text, str) else None):
                continue
            fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [dict(fallback)], add_to_output=True)
            message.set(ENTITIES, [], add_to_output=True)
            message.set(NO_WORDS_KEY, True, add_to_output=True)
        return messages
