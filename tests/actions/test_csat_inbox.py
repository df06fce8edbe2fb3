"""The satisfaction survey's actions against the real inbox API (its app, migrations, database)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select, update

from actions.csat import ActionCsatAnswer, ActionCsatComment
from actions.inbox_client import InboxClient
from actions.inbox_deliveries import ActionHandback
from inbox_api.csat.models import CsatSurvey
from inbox_api.delivery.models import Delivery
from inbox_api.tickets.models import Message
from tests.actions import test_escalation_inbox as escalation_inbox
from tests.actions.test_escalation_inbox import client_for
from tests.actions.test_inbox_deliveries import SECRET, signed
from tests.actions.trackers import make_tracker, parse_data, user_event
from tests.inbox_api.conftest import SERVICE_TOKEN, Inbox
from tests.inbox_api.staff.factories import agent_headers
from tests.inbox_api.tickets.factories import escalation

# The real inbox on SQLite and PostgreSQL, as the escalation tests start it.
inbox_database = escalation_inbox.inbox_database
inbox = escalation_inbox.inbox


async def _resolved_ticket(inbox: Inbox, cid: str, *, helped: bool = True) -> tuple[int, str]:
    """A ticket a colleague answered and resolved: (ticket id, hand-back delivery id)."""
    service = {"Authorization": f"Bearer {SERVICE_TOKEN}"}
    created = await inbox.client.post("/api/v1/escalations", json=escalation(cid), headers=service)
    ticket_id: int = created.json()["ticket_id"]
    staff = await agent_headers(inbox.runtime, inbox.client, email=f"{cid}@linde.test")
    if helped:
        await inbox.client.post(
            f"/api/v1/tickets/{ticket_id}/replies", json={"text": "Geregeld"}, headers=staff
        )
    await inbox.client.post(
        f"/api/v1/tickets/{ticket_id}/status", json={"status": "resolved"}, headers=staff
    )
    async with inbox.runtime.sessions() as session:
        # No Rasa in these tests: the reply counts as having reached the customer.
        await session.execute(
            update(Message).where(Message.ticket_id == ticket_id).values(delivery_state="delivered")
        )
        delivery = await session.scalar(
            select(Delivery.id).where(Delivery.ticket_id == ticket_id, Delivery.kind == "handback")
        )
        await session.commit()
    return ticket_id, str(delivery)


def _tracker(cid: str, intent: str, *, text: str | None = None, **slots: Any) -> Tracker:
    entities: list[dict[str, Any]] = []
    if intent == "EXTERNAL_handback":
        entities = signed(
            "EXTERNAL_handback", None, delivery_id=slots.pop("delivery"), conversation=cid
        )
    elif intent == "csat_answer":
        entities = [{"entity": "csat_rating", "value": slots.pop("rating")}]
    latest = parse_data(text, intent, entities=entities)
    return make_tracker(
        sender_id=cid,
        slots={"language": "nl", **slots},
        latest=latest,
        events=[user_event(latest, channel="socketio")],
    )


async def _run(action: Any, tracker: Tracker) -> tuple[list[str], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return [m.get("response") or m.get("text") for m in dispatcher.messages], events


async def test_handback_asks_then_rating_and_comment_are_stored(inbox: Inbox) -> None:
    cid = f"csat-{datetime.now(UTC).timestamp()}"
    ticket_id, delivery = await _resolved_ticket(inbox, cid)
    client: InboxClient = client_for(inbox)
    said, events = await _run(
        ActionHandback(SECRET, client),
        _tracker(cid, "EXTERNAL_handback", human_owned=True, delivery=delivery),
    )
    assert said == ["utter_handback", "utter_csat_question_one_to_five"]
    assert SlotSet("csat_ticket_id", str(ticket_id)) in events

    said, events = await _run(
        ActionCsatAnswer(client),
        _tracker(cid, "csat_answer", rating="2", csat_ticket_id=str(ticket_id)),
    )
    assert (said, events) == (
        ["utter_csat_comment_offer"],
        [SlotSet("csat_awaiting_comment", True)],
    )
    said, events = await _run(
        ActionCsatComment(client),
        _tracker(cid, "nlu_fallback", text="Het duurde lang", csat_ticket_id=str(ticket_id)),
    )
    assert said == ["utter_csat_comment_thanks"]
    assert events == [SlotSet("csat_awaiting_comment", False)]
    async with inbox.runtime.sessions() as session:
        survey = await session.scalar(select(CsatSurvey).where(CsatSurvey.ticket_id == ticket_id))
    assert survey is not None and (survey.rating, survey.comment) == (2, "Het duurde lang")

    # Tapping a button again: thanked, not stored.
    said, _ = await _run(
        ActionCsatAnswer(client),
        _tracker(cid, "csat_answer", rating="5", csat_ticket_id=str(ticket_id)),
    )
    assert said == ["utter_csat_already_answered"]
    # The hand-back relayed again never asks twice.
    said, _ = await _run(
        ActionHandback(SECRET, client),
        _tracker(cid, "EXTERNAL_handback", human_owned=True, delivery=delivery),
    )
    assert said == ["utter_handback"]


async def test_no_question_when_no_colleague_replied(inbox: Inbox) -> None:
    cid = f"csat-bot-{datetime.now(UTC).timestamp()}"
    _, delivery = await _resolved_ticket(inbox, cid, helped=False)
    said, events = await _run(
        ActionHandback(SECRET, client_for(inbox)),
        _tracker(cid, "EXTERNAL_handback", human_owned=True, delivery=delivery),
    )
    assert said == ["utter_handback"]
    assert events == [SlotSet("human_owned", False), SlotSet("ticket_id", None)]


async def test_an_answer_without_a_survey_is_thanked_politely(inbox: Inbox) -> None:
    said, _ = await _run(
        ActionCsatAnswer(client_for(inbox)), _tracker("nobody", "csat_answer", rating="5")
    )
    assert said == ["utter_csat_closed"]
    said, _ = await _run(
        ActionCsatAnswer(client_for(inbox)),
        _tracker("nobody", "csat_answer", rating="5", csat_ticket_id="424242"),
    )
    assert said == ["utter_csat_closed"]
    said, _ = await _run(
        ActionCsatComment(client_for(inbox)),
        _tracker("nobody", "csat_no_comment", csat_ticket_id="424242"),
    )
    assert said == ["utter_csat_done"]


async def test_an_unreachable_inbox_still_gets_a_polite_answer(inbox: Inbox) -> None:
    said, events = await _run(
        ActionCsatAnswer(client_for(inbox, token="wrong")),
        _tracker("x", "csat_answer", rating="5", csat_ticket_id="1"),
    )
    assert said == ["utter_csat_unavailable"]
    assert events == [SlotSet("csat_awaiting_comment", False)]
