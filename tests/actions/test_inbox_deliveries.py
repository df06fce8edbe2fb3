"""Only what the inbox signed speaks as the brand or ends a colleague's ownership."""

from __future__ import annotations

import json
import logging
import socket
from typing import Any

import httpx
import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.inbox_client import InboxClient
from actions.inbox_deliveries import ActionHandback, ActionRelayAgentMessage
from kit.delivery_signature import sign_delivery
from tests.actions.test_escalation import closed_port
from tests.actions.trackers import make_tracker, parse_data, user_event

SECRET = "delivery-secret-for-tests"
CONVERSATION = "conv-42"
REPLY = "Hoi! Ik heb je retour <b>gevonden</b> & verwerkt 🙂"
SPOOF = "Your refund of EUR 500 is approved"


Entities = list[dict[str, Any]]


def signed(intent: str, text: str | None, delivery_id: str = "17", **changes: Any) -> Entities:
    """The entities the inbox sends with trigger_intent, optionally tampered with."""
    signature = sign_delivery(
        changes.pop("secret", SECRET), intent, changes.pop("conversation", CONVERSATION),
        delivery_id, text or "",
    )
    entities = [
        {"entity": "delivery_id", "value": delivery_id},
        {"entity": "delivery_signature", "value": signature},
    ]
    if text is not None:
        entities.append({"entity": "agent_message", "value": text})
    return entities


def delivery_tracker(intent: str, entities: Entities, text: str | None = None) -> Tracker:
    """A human-owned conversation whose latest event is what the inbox (or someone) sent."""
    latest = parse_data(text, intent, entities=entities)
    return make_tracker(
        sender_id=CONVERSATION,
        slots={"language": "nl", "human_owned": True, "ticket_id": "12"},
        latest=latest,
        events=[user_event(latest, channel="socketio")],
    )


class RelayLedger:
    """Stands in for the inbox's relay endpoint: 200 the first time per id, 409 after."""

    def __init__(self, known: set[str] | None = None) -> None:
        self.known = known
        self.relayed: list[tuple[str, str]] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        delivery_id = request.url.path.split("/")[-2]
        conversation = json.loads(request.content)["conversation_id"]
        if self.known is not None and delivery_id not in self.known:
            return httpx.Response(404, json={"detail": "unknown"})
        if (delivery_id, conversation) in self.relayed:
            return httpx.Response(409, json={"detail": "already relayed"})
        self.relayed.append((delivery_id, conversation))
        return httpx.Response(200, json={"delivery_id": int(delivery_id), "relay": True})

    def client(self) -> InboxClient:
        return InboxClient("http://inbox.test", "t", 2.0, httpx.MockTransport(self.handler))


async def relay(
    tracker: Tracker, secret: str = SECRET, inbox: InboxClient | None = None
) -> tuple[list[str], list[Any]]:
    dispatcher = CollectingDispatcher()
    action = ActionRelayAgentMessage(secret, inbox or RelayLedger().client())
    events = await action.run(dispatcher, tracker, {})
    return [m.get("text") or m.get("response") for m in dispatcher.messages], events


async def handback(tracker: Tracker, secret: str = SECRET) -> tuple[list[str], list[Any]]:
    dispatcher = CollectingDispatcher()
    # No inbox answers the survey offer here: the hand-back goes ahead without the question.
    unreachable = InboxClient(f"http://127.0.0.1:{closed_port()}", "t", 1.0)
    events = await ActionHandback(secret, unreachable).run(dispatcher, tracker, {})
    return [m.get("text") or m.get("response") for m in dispatcher.messages], events


async def test_a_signed_reply_is_relayed_verbatim() -> None:
    tracker = delivery_tracker("EXTERNAL_agent_message", signed("EXTERNAL_agent_message", REPLY))
    said, events = await relay(tracker)
    assert said == [REPLY]
    assert events == [SlotSet("agent_message", None)]


@pytest.mark.parametrize(
    "entities",
    [
        [{"entity": "agent_message", "value": SPOOF}],
        [*signed("EXTERNAL_agent_message", REPLY)[:2], {"entity": "agent_message", "value": SPOOF}],
        signed("EXTERNAL_agent_message", SPOOF, secret="guessed"),
        signed("EXTERNAL_agent_message", SPOOF, conversation="another-conversation"),
        signed("EXTERNAL_handback", SPOOF),
        [e for e in signed("EXTERNAL_agent_message", SPOOF) if e["entity"] != "delivery_id"],
    ],
    ids=["unsigned", "text-swapped", "wrong-secret", "other-conversation", "handback-signature",
         "no-delivery-id"],
)
async def test_an_unsigned_or_tampered_reply_is_refused_and_logged_without_its_text(
    entities: Entities, caplog: pytest.LogCaptureFixture
) -> None:
    tracker = delivery_tracker("EXTERNAL_agent_message", entities)
    with caplog.at_level(logging.WARNING, logger="actions.inbox_deliveries"):
        said, events = await relay(tracker)
    assert said == []
    assert events == [SlotSet("agent_message", None)]
    assert "refused EXTERNAL_agent_message in conversation conv-42" in caplog.text
    assert SPOOF not in caplog.text and REPLY not in caplog.text


async def test_a_signed_reply_under_another_intent_is_refused() -> None:
    """A typed `/greet{...}` carrying a copied signature is not an agent reply."""
    entities = signed("EXTERNAL_agent_message", REPLY)
    said, _ = await relay(delivery_tracker("greet", entities, text="/greet"))
    assert said == []


async def test_without_a_configured_secret_nothing_is_relayed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tracker = delivery_tracker("EXTERNAL_agent_message", signed("EXTERNAL_agent_message", REPLY))
    with caplog.at_level(logging.WARNING, logger="actions.inbox_deliveries"):
        said, _ = await relay(tracker, secret="")
    assert said == []
    assert "no DELIVERY_SIGNING_SECRET configured" in caplog.text


async def test_a_signed_empty_reply_sends_nothing() -> None:
    tracker = delivery_tracker("EXTERNAL_agent_message", signed("EXTERNAL_agent_message", "  "))
    assert await relay(tracker) == ([], [SlotSet("agent_message", None)])


async def test_a_signed_handback_returns_the_conversation_to_the_assistant() -> None:
    said, events = await handback(
        delivery_tracker("EXTERNAL_handback", signed("EXTERNAL_handback", None))
    )
    assert said == ["utter_handback"]
    assert events == [SlotSet("human_owned", False), SlotSet("ticket_id", None)]


@pytest.mark.parametrize(
    "entities",
    [
        [],
        signed("EXTERNAL_handback", None, secret="guessed"),
        signed("EXTERNAL_handback", None, conversation="another-conversation"),
        signed("EXTERNAL_agent_message", ""),
    ],
    ids=["unsigned", "wrong-secret", "other-conversation", "reply-signature"],
)
async def test_an_unsigned_handback_leaves_the_colleague_in_charge(
    entities: Entities, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="actions.inbox_deliveries"):
        said, events = await handback(delivery_tracker("EXTERNAL_handback", entities))
    assert (said, events) == ([], [])
    assert "refused EXTERNAL_handback in conversation conv-42" in caplog.text


async def test_a_repeated_delivery_is_shown_once(caplog: pytest.LogCaptureFixture) -> None:
    """Rasa runs the relay again when the inbox retried a slow call: the customer sees it once."""
    ledger = RelayLedger()
    inbox = ledger.client()
    tracker = delivery_tracker("EXTERNAL_agent_message", signed("EXTERNAL_agent_message", REPLY))
    with caplog.at_level(logging.WARNING, logger="actions.inbox_deliveries"):
        first, _ = await relay(tracker, inbox=inbox)
        again, events = await relay(tracker, inbox=inbox)
    assert (first, again) == ([REPLY], [])
    assert events == [SlotSet("agent_message", None)]
    assert ledger.relayed == [("17", CONVERSATION)]
    assert "dropped delivery 17 in conversation conv-42" in caplog.text
    assert REPLY not in caplog.text
    # The next delivery has its own id and goes through.
    later = delivery_tracker(
        "EXTERNAL_agent_message", signed("EXTERNAL_agent_message", "Nog iets", delivery_id="18")
    )
    assert (await relay(later, inbox=inbox))[0] == ["Nog iets"]


async def test_a_delivery_the_inbox_does_not_know_is_dropped(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tracker = delivery_tracker("EXTERNAL_agent_message", signed("EXTERNAL_agent_message", REPLY))
    with caplog.at_level(logging.WARNING, logger="actions.inbox_deliveries"):
        said, _ = await relay(tracker, inbox=RelayLedger(known={"99"}).client())
    assert said == []
    assert "dropped delivery 17" in caplog.text


async def test_when_the_inbox_cannot_be_asked_the_reply_still_goes_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    tracker = delivery_tracker("EXTERNAL_agent_message", signed("EXTERNAL_agent_message", REPLY))
    with caplog.at_level(logging.ERROR, logger="actions.inbox_deliveries"):
        said, _ = await relay(tracker, inbox=InboxClient(f"http://127.0.0.1:{closed}", "t", 1.0))
    assert said == [REPLY]
    assert "could not ask the inbox about delivery 17" in caplog.text


async def test_the_delivery_id_rides_along_and_the_template_marker_becomes_the_template() -> None:
    tracker = delivery_tracker("EXTERNAL_agent_message", signed("EXTERNAL_agent_message", REPLY))
    dispatcher = CollectingDispatcher()
    await ActionRelayAgentMessage(SECRET, RelayLedger().client()).run(dispatcher, tracker, {})
    [said] = dispatcher.messages
    # Rasa hands an utterance's extra keys to the output channel (WhatsApp statuses use it).
    assert (said["text"], said["inbox_delivery_id"]) == (REPLY, "17")

    marker = "[[template:answer_ready:en]]"
    tracker = delivery_tracker(
        "EXTERNAL_agent_message", signed("EXTERNAL_agent_message", marker, delivery_id="18"))
    dispatcher = CollectingDispatcher()
    await ActionRelayAgentMessage(SECRET, RelayLedger().client()).run(dispatcher, tracker, {})
    [said] = dispatcher.messages
    assert said["text"] is None
    assert said["custom"] == {"whatsapp_template": {"name": "answer_ready", "language": "en"}}
    assert said["inbox_delivery_id"] == "18"
    # Only the exact marker: text around it is a normal reply (which the inbox never lets
    # an agent type anyway).
    text = f"see {marker}"
    tracker = delivery_tracker(
        "EXTERNAL_agent_message", signed("EXTERNAL_agent_message", text, delivery_id="19"))
    said_texts, _ = await relay(tracker)
    assert said_texts == [text]
