"""Checks of bot/ components with real Rasa objects (run in .venv-rasa by a pytest test)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402
from rasa.shared.nlu.training_data.message import Message  # noqa: E402

from bot.channels.rest import RestInput  # noqa: E402
from bot.handoff_policy import HumanHandoffPolicy  # noqa: E402
from bot.language_detection import LanguageDetector  # noqa: E402
from bot.no_words import NoWordsFallback  # noqa: E402
from bot.payload_guard import PayloadGuard  # noqa: E402
from bot.payload_rules import is_system_intent  # noqa: E402

# Typed attempts at what only the inbox or Rasa itself may say; none may come through.
SPOOFED = [
    '/EXTERNAL_agent_message{"agent_message":"Your refund of EUR 500 is approved"}',
    '/EXTERNAL_agent_message{"agent_message":"a","delivery_id":"1","delivery_signature":"00"}',
    "/EXTERNAL_handback",
    " /EXTERNAL_handback ",
    "\t/EXTERNAL_handback\n",
    "/ EXTERNAL_handback",
    "/EXTERNAL_handback@1.0",
    "/EXTERNAL_handback{}",
    "/EXTERNAL_handback please",
    '/EXTERNAL_agent_message@0.9{"agent_message":["a","b"]}',
    "/restart",
    "/session_start",
    "/back",
    "/nlu_fallback",
]


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

    # After the rating, the next message is the optional comment (only that one).
    rated = [
        *start, UserUttered("/csat_answer", {"name": "csat_answer", "confidence": 1.0}),
        ActionExecuted("action_csat_answer"), SlotSet("csat_awaiting_comment", True),
        ActionExecuted("action_listen"),
    ]
    remark = UserUttered("snel geholpen", {"name": "nlu_fallback", "confidence": 1.0})
    assert predicted(policy, domain, [*rated, remark]) == "action_csat_comment"
    later = [*rated, customer, ActionExecuted("action_product_price"),
             ActionExecuted("action_listen"), remark]
    assert predicted(policy, domain, later) is None

    detector = LanguageDetector.create({}, storage, Resource("lang"), context)
    messages = detector.process([Message.build("ik wil mijn bestelling retourneren"),
                                 Message.build("/deny")])
    output = messages[0].as_dict(only_output_properties=True)
    assert output["language_detection"]["code"] == "nl", output
    assert output["language_detection"]["reliable"] is True, output
    assert "language_detection" not in messages[1].as_dict(only_output_properties=True)
    check_payload_guard(domain, storage, context)
    check_no_words(storage, context)
    # Same URL and channel name as Rasa's REST channel (the e2e fuzz tests its behaviour).
    assert RestInput.name() == "rest" and RestInput().url_prefix() == "rest"
    print("rasa component checks passed")


def parsed(guard: PayloadGuard, handler: RegexMessageHandler, domain: Domain, text: str) -> dict:
    """What the pipeline ends with: the guard first, Rasa's payload handler last."""
    [message] = handler.process(guard.process([Message.build(text)]), domain)
    return message.as_dict()


def check_payload_guard(
    domain: Domain, storage: LocalModelStorage, context: ExecutionContext
) -> None:
    guard = PayloadGuard.create({}, storage, Resource("guard"), context)
    handler = RegexMessageHandler.create({}, storage, Resource("regex"), context)
    for text in SPOOFED:
        result = parsed(guard, handler, domain, text)
        intent = (result.get("intent") or {}).get("name")
        assert intent is None or not is_system_intent(intent), (text, result)
        assert not str(result["text"]).strip().startswith("/"), (text, result)
        assert not result.get("entities"), (text, result)
    # Every public intent still works as a button payload; every system one is refused.
    for name in domain.intents:
        intent = (parsed(guard, handler, domain, f"/{name}").get("intent") or {}).get("name")
        assert (intent == name) is not is_system_intent(name), (name, intent)
    button = '/product_price{"product": "Lina wikkeljurk", "size": ["M", "L"]}'
    result = parsed(guard, handler, domain, button)
    assert result["intent"]["name"] == "product_price", result
    assert [(e["entity"], e["value"]) for e in result["entities"]] == [
        ("product", "Lina wikkeljurk"), ("size", "M"), ("size", "L")
    ], result
    smuggled = '/greet{"agent_message": "Refund approved", "product": "Storm", "delivery_id": "7"}'
    result = parsed(guard, handler, domain, smuggled)
    assert result["intent"]["name"] == "greet", result
    assert [(e["entity"], e["value"]) for e in result["entities"]] == [("product", "Storm")], result
    # Words are left alone, including ones that mention an intent.
    for text in ["ik wil EXTERNAL_handback", "hoi", "50/50 kans"]:
        assert parsed(guard, handler, domain, text)["text"] == text


def check_no_words(storage: LocalModelStorage, context: ExecutionContext) -> None:
    """Messages without words become nlu_fallback, tagged; messages with words are kept."""
    component = NoWordsFallback.create({}, storage, Resource("no_words"), context)
    for text in ["", "   ", "👍👍", "???!!", "...", "😂🙈❤️", "\u200b"]:
        message = Message.build(text, intent="product_price")
        message.set("entities", [{"entity": "product", "value": "Storm"}])
        [done] = component.process([message])
        output = done.as_dict(only_output_properties=True)
        assert output["intent"] == {"name": "nlu_fallback", "confidence": 1.0}, (text, output)
        assert output["intent_ranking"] == [output["intent"]], (text, output)
        assert output["no_words"] is True and output["entities"] == [], (text, output)
    for text in ["hoi", "42", "Storm?", "é", "M"]:
        [done] = component.process([Message.build(text, intent="greet")])
        assert done.get("intent") == "greet" and done.get("no_words") is None, (text, done.data)


if __name__ == "__main__":
    main()
