"""NLU component that tags every message with its language (Dutch or English).

The tag travels in the parse data as `language_detection` ({"code", "confidence",
"reliable"}); the action server turns it into the sticky `language` slot.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.language_rules import detect_language

LANGUAGE_DETECTION = "language_detection"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class LanguageDetector(GraphComponent):
    """Adds `language_detection` to the output of every parsed message."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        """Creates the component (nothing to train)."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves training data alone: the tag is only needed at prediction time."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Tags each message with its detected language."""
        for message in messages:
            text: Optional[str] = message.get("text")
            if not text or _is_payload(text):
                continue
            result = detect_language(text)
            message.set(LANGUAGE_DETECTION, result.as_dict(), add_to_output=True)
        return messages


def _is_payload(text: str) -> bool:
    # Button payloads ("/product_price{...}") say nothing about the customer's language.
    return bool(re.match(r"^/\w", text))
