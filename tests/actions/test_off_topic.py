"""Off-topic and not understood: what the assistant can do, a colleague button, rarely a ticket."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.clarification import ActionClarify
from actions.escalation_packet import escalation_reason
from actions.off_topic import ActionOffTopic
from actions.understanding import is_shop_question, repeated_failure
from tests.actions.catalogue_helpers import render
from tests.actions.trackers import make_tracker, parse_data, user_event

UNCLEAR = [{"name": "nlu_fallback", "confidence": 0.6}, {"name": "help", "confidence": 0.2},
           {"name": "greet", "confidence": 0.1}]


def conversation(
    *messages: dict[str, Any], language: str = "nl", after: list[str] | None = None
) -> Tracker:
    """Customer messages in turn (the last is the latest), with what the assistant ran after."""
    events: list[dict[str, Any]] = []
    for index, message in enumerate(messages):
        events += [{"event": "action", "name": "action_listen"}, user_event(message)]
        if index < len(messages) - 1:
            for name in after or []:
                events.append({"event": "action", "name": name})
    return make_tracker(slots={"language": language}, latest=messages[-1], events=events)


def said(text: str, intent: str, **extra: Any) -> dict[str, Any]:
    ranking = UNCLEAR if intent == "nlu_fallback" else [{"name": intent, "confidence": 0.9}]
    return parse_data(text, intent, ranking=ranking, **extra)


async def run(action: Any, tracker: Tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


@pytest.mark.parametrize(
    ("language", "text", "button"),
    [("en", "what's the weather tomorrow?", "Talk to a colleague"),
     ("nl", "wie wint de match?", "Een collega spreken")],
)
async def test_chit_chat_gets_what_we_do_and_a_colleague_button(
    language: str, text: str, button: str
) -> None:
    messages, events = await run(
        ActionOffTopic(), conversation(said(text, "out_of_scope"), language=language)
    )
    assert events == []
    [message] = messages
    assert message["response"] == "utter_off_topic"
    assert message["buttons"] == [{"title": button, "payload": "/human_handoff"}]
    reply = render(message, language)
    assert ("retouren" in reply) if language == "nl" else ("returns" in reply)


@pytest.mark.parametrize(
    ("text", "entities"),
    [("kan ik met Klarna betalen voor mijn bestelling?", []),
     ("where is my order???", []),
     ("do you ship the thing to Canada", [{"entity": "product", "value": "Storm raincoat"}]),
     ("hebben jullie cadeaubonnen", [])],
)
async def test_a_shop_question_we_cannot_answer_goes_to_a_colleague(
    text: str, entities: list[dict[str, Any]]
) -> None:
    messages, events = await run(
        ActionOffTopic(), conversation(said(text, "out_of_scope", entities=entities))
    )
    assert messages == [] and events == [FollowupAction("action_escalate")]


@pytest.mark.parametrize(
    "text",
    ["what's the weather tomorrow?", "order a pizza for me", "wie wint de match?",
     "what's the weather in Utrecht", "wat is de wisselkoers van de dollar"],
)
def test_everyday_questions_are_not_shop_questions(text: str) -> None:
    entities = [{"entity": "city", "value": "Utrecht"}] if "Utrecht" in text else []
    assert not is_shop_question(parse_data(text, "out_of_scope", entities=entities))


async def test_two_messages_in_a_row_not_understood_go_to_a_colleague() -> None:
    first, second = said("blurp fnord", "nlu_fallback"), said("zorp wibble", "nlu_fallback")
    tracker = conversation(first, second, after=["action_clarify", "action_off_topic"])
    assert repeated_failure(tracker)
    # Even when the model hesitates between two readings the second time.
    close = [{"name": "nlu_fallback", "confidence": 0.5},
             {"name": "return_policy", "confidence": 0.46},
             {"name": "return_start", "confidence": 0.41}]
    second_close = parse_data("zorp wibble", "nlu_fallback", ranking=close)
    tracker = conversation(first, second_close, after=["action_clarify", "action_off_topic"])
    assert (await run(ActionClarify(), tracker)) == ([], [FollowupAction("action_off_topic")])
    assert (await run(ActionOffTopic(), tracker)) == ([], [FollowupAction("action_escalate")])
    assert escalation_reason(tracker) == "fallback"


async def test_one_message_not_understood_gets_the_offer() -> None:
    tracker = conversation(said("hoi", "greet"), said("blurp fnord", "nlu_fallback"))
    assert not repeated_failure(tracker)
    messages, events = await run(ActionOffTopic(), tracker)
    assert [m["response"] for m in messages] == ["utter_off_topic"] and events == []


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_no_words_is_asked_again_and_never_counts_as_a_failure(language: str) -> None:
    certain = [{"name": "nlu_fallback", "confidence": 1.0}]
    empty = parse_data("", "nlu_fallback", ranking=certain, no_words=True)
    emoji = parse_data("👍👍", "nlu_fallback", ranking=certain, no_words=True)
    tracker = conversation(empty, emoji, language=language, after=["action_clarify"])
    messages, events = await run(ActionClarify(), tracker)
    assert events == [] and [m["response"] for m in messages] == ["utter_no_words"]
    assert "?" in render(messages[0], language)
    assert not repeated_failure(tracker)
    # Nonsense after emoji is a first failure, not a second.
    later = conversation(emoji, said("blurp fnord", "nlu_fallback"), after=["action_clarify"])
    assert not repeated_failure(later)


def test_yes_to_the_offered_colleague_is_an_explicit_request() -> None:
    tracker = conversation(
        said("wie wint de match?", "out_of_scope"), said("ja graag", "affirm"),
        after=["action_off_topic"],
    )
    assert escalation_reason(tracker) == "human_handoff"
    assert escalation_reason(conversation(said("ja graag", "affirm"))) == "action_error"
