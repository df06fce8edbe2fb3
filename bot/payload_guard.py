"""NLU component, first in the pipeline: typed messages never set what only the system may.

Every message Rasa parses came from a channel (the REST webhook, the chat widget) or
from its token-protected HTTP API; the inbox's agent replies and hand-backs use
trigger_intent, which skips NLU entirely. So whatever reaches this component was typed,
and a typed `/EXTERNAL_agent_message{...}` must not become that intent. The component
reads each payload exactly as Rasa's RegexMessageHandler will at the end of the pipeline
and rewrites the text when bot/payload_rules.py says so.
"""

from __future__ import annotations

import logging
import re
import warnings
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.payload_rules import INTENT_PREFIX, safe_payload_text

logger = logging.getLogger(__name__)
_NAME = re.compile(r"\w{1,60}")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class PayloadGuard(GraphComponent):
    """Turns typed payloads of system intents into words and drops system entities."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "PayloadGuard":
        """Creates the component (nothing to train)."""
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves training data alone: it is written by trainers, not typed by customers."""
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        """Rewrites the text of each message whose payload names something internal."""
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text.strip().startswith(INTENT_PREFIX):
                continue
            intent, entities = _read_payload(text)
            safe = safe_payload_text(text, intent, entities)
            if safe is None:
                continue
            # Never the text: it may be anything a stranger typed, even in the intent's place.
            named = intent if intent and _NAME.fullmatch(intent) else "an unknown name"
            logger.warning("neutralised a typed payload of %s", named)
            message.set(TEXT, safe)
        return messages


def _read_payload(text: str) -> "tuple[Optional[str], List[Dict[str, Any]]]":
    """The intent and entities Rasa would read from this text (no domain: every name)."""
    with warnings.catch_warnings():
        # Rasa warns about malformed payloads; its own handler warns again at the end.
        warnings.simplefilter("ignore")
        parsed = YAMLStoryReader.unpack_regex_message(Message({TEXT: text}))
    intent = (parsed.get(INTENT) or {}).get(INTENT_NAME_KEY)
    return (str(intent) if intent else None), list(parsed.get(ENTITIES) or [])
