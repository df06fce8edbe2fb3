"""Checks of bot/ components with real Rasa objects (run in .venv-rasa by a pytest test)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from bot.handoff_policy import HumanHandoffPolicy  # noqa: E402
from bot.language_detection import LanguageDetector  # noqa: E402


def predicted(policy: HumanHandoffPolicy, domain: Domain, events: list) -> str | None:
    tracker = DialogueStateTracker.from_events("check", events, domain.slots)
    prediction = policy.predict_action_probabilities(tracker, domain)
    if max(prediction.probabilities) == 0:
        return None
    assert prediction.is_no_user_prediction
    return domain.action_names_or_texts[prediction.probabilities.index(1.0)]


def main() -> None:
    domain = Domain.load(str(ROOT / "domain.yml"))
    storage = LocalModelStorage(Path(sys.argv[1]))
    context = ExecutionContext(GraphSchema({}), "check")
    policy = HumanHandoffPolicy.create(
        HumanHandoffPolicy.get_default_config(), storage, Resource("handoff"), context
    )
    assert policy.priority == 7
    start = [ActionExecuted("action_listen")]
    customer = UserUttered("hoeveel kost de Storm?", {"name": "product_price", "confidence": 1.0})
    owned = [*start, SlotSet("human_owned", True), customer]
    assert predicted(policy, domain, owned) == "action_forward_to_inbox"
    assert predicted(policy, domain, [*owned, ActionExecuted("action_forward_to_inbox")]) == (
        "action_listen"
    )
    assert predicted(policy, domain, [*start, customer]) is None
    agent = UserUttered(None, {"name": "EXTERNAL_agent_message", "confidence": 1.0},
                        [{"entity": "agent_message", "value": "Hoi!"}])
    assert predicted(policy, domain, [*start, SlotSet("human_owned", True), agent]) == (
        "action_relay_agent_message"
    )

    detector = LanguageDetector.create({}, storage, Resource("lang"), context)
    messages = detector.process([Message.build("ik wil mijn bestelling retourneren"),
                                 Message.build("/deny")])
    output = messages[0].as_dict(only_output_properties=True)
    assert output["language_detection"]["code"] == "nl", output
    assert output["language_detection"]["reliable"] is True, output
    assert "language_detection" not in messages[1].as_dict(only_output_properties=True)
    print("rasa component checks passed")


if __name__ == "__main__":
    main()
