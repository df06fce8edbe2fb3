"""Escalation to the human inbox and the hand-off loop (docs/contracts.md).

`action_escalate` opens a ticket, `action_forward_to_inbox` passes on each customer
message while a colleague owns the conversation, `action_relay_agent_message` delivers
the colleague's reply verbatim and `action_handback` gives the conversation back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.domain_names import (
    ACTION_CLARIFY,
    ACTION_ESCALATE,
    ACTION_FORWARD_TO_INBOX,
    ACTION_HANDBACK,
    ACTION_RELAY_AGENT_MESSAGE,
    DUTCH,
    ENTITY_AGENT_MESSAGE,
    INTENT_COMPLAINT,
    INTENT_DENY,
    INTENT_HUMAN_HANDOFF,
    INTENT_NLU_FALLBACK,
    INTENT_OUT_OF_SCOPE,
    REASON_ACTION_ERROR,
    REASON_COMPLAINT,
    REASON_CUSTOMER_MESSAGE,
    REASON_FALLBACK,
    REASON_HUMAN_HANDOFF,
    REASON_OUT_OF_SCOPE,
    SLOT_AGENT_MESSAGE,
    SLOT_HUMAN_OWNED,
    SLOT_TICKET_ID,
    UTTER_ESCALATED,
    UTTER_ESCALATED_NO_TIME,
    UTTER_ESCALATION_FAILED,
    UTTER_FORWARD_FAILED,
    UTTER_HANDBACK,
)
from actions.language import conversation_language
from actions.settings import get_settings

logger = logging.getLogger(__name__)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TRANSCRIPT_LIMIT = 50
INTENT_LIMIT = 5

_REASON_BY_INTENT = {
    INTENT_HUMAN_HANDOFF: REASON_HUMAN_HANDOFF,
    INTENT_COMPLAINT: REASON_COMPLAINT,
    INTENT_OUT_OF_SCOPE: REASON_OUT_OF_SCOPE,
    INTENT_NLU_FALLBACK: REASON_FALLBACK,
}

# Actions that run every turn and say nothing about what the assistant tried.
_BOOKKEEPING_ACTIONS = frozenset(
    {
        "action_listen", "action_session_start", "action_extract_slots",
        "action_validate_slot_mappings", ACTION_ESCALATE, ACTION_FORWARD_TO_INBOX,
    }
)

WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


class InboxUnavailable(Exception):
    """The inbox did not accept the request (down, slow, or refused it)."""


@dataclass(frozen=True)
class EscalationReceipt:
    """What the inbox answered: the ticket and when a colleague will answer at the latest."""

    ticket_id: str
    first_response_due_at: datetime | None


class InboxClient:
    """Sends escalation packets and review reports to the inbox API over HTTP."""

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        timeout_seconds: float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """Reads missing settings from the action server's configuration."""
        settings = get_settings()
        self.base_url = (base_url or settings.inbox_url).rstrip("/")
        self.token = token if token is not None else settings.inbox_service_token
        self.timeout_seconds = timeout_seconds or settings.inbox_timeout_seconds
        self.transport = transport

    async def escalate(self, packet: dict[str, Any]) -> EscalationReceipt:
        """POST the packet; raise InboxUnavailable unless the inbox answers 200/201."""
        response = await self._post("/api/v1/escalations", packet, accepted=(200, 201))
        try:
            body = response.json()
            ticket_id = str(body["ticket_id"])
        except (ValueError, KeyError, TypeError) as error:
            raise InboxUnavailable("inbox answered without a ticket id") from error
        due = (body.get("sla") or {}).get("first_response_due_at")
        return EscalationReceipt(ticket_id, _parse_instant(due))

    async def report_for_review(self, report: dict[str, Any]) -> None:
        """POST a review report; raise InboxUnavailable unless the inbox answers 201."""
        await self._post("/api/v1/review/reports", report, accepted=(201,))

    async def _post(
        self, path: str, body: dict[str, Any], accepted: tuple[int, ...]
    ) -> httpx.Response:
        try:
            async with httpx.AsyncClient(
                timeout=self.timeout_seconds, transport=self.transport
            ) as client:
                response = await client.post(
                    f"{self.base_url}{path}",
                    json=body,
                    headers={"Authorization": f"Bearer {self.token}"},
                )
        except httpx.HTTPError as error:
            raise InboxUnavailable(f"inbox unreachable: {type(error).__name__}") from error
        if response.status_code not in accepted:
            raise InboxUnavailable(f"inbox answered HTTP {response.status_code}")
        return response


def _parse_instant(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_due(due: datetime, language: str, now: datetime) -> str:
    """'maandag 09:30' / 'Monday 09:30' in Amsterdam time; the date too when a week or more away."""
    local = due.astimezone(AMSTERDAM)
    today = now.astimezone(AMSTERDAM).date()
    lang = DUTCH if language == DUTCH else "en"
    weekday = WEEKDAYS[lang][local.weekday()]
    clock = local.strftime("%H:%M")
    if local.date() - today < timedelta(days=6):
        return f"{weekday} {clock}"
    return f"{weekday} {local.day} {MONTHS[lang][local.month - 1]} {clock}"


def escalation_reason(tracker: Tracker) -> str:
    """Why this conversation goes to a human, from the latest intent (contract reasons)."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in _REASON_BY_INTENT:
        return _REASON_BY_INTENT[intent]
    if intent == INTENT_DENY and last_action_before_latest_message(tracker) == ACTION_CLARIFY:
        # The customer rejected both interpretations we offered.
        return REASON_FALLBACK
    return REASON_ACTION_ERROR


def last_action_before_latest_message(tracker: Tracker) -> str | None:
    """The action the assistant ran just before the customer's latest message."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            if seen_user:
                return None
            seen_user = True
        elif seen_user and event.get("event") == "action":
            name = event.get("name")
            if name not in ("action_listen", "action_validate_slot_mappings"):
                return str(name)
    return None


def _at(event: dict[str, Any]) -> str:
    timestamp = event.get("timestamp")
    if isinstance(timestamp, int | float):
        return datetime.fromtimestamp(timestamp, UTC).isoformat()
    return datetime.now(UTC).isoformat()


def is_payload(text: str) -> bool:
    """Whether a customer message is a button payload ("/intent{...}"), not words."""
    return text.startswith("/")


def transcript(tracker: Tracker) -> list[dict[str, str]]:
    """The conversation so far as customer/assistant lines (button payloads left out)."""
    lines: list[dict[str, str]] = []
    for event in tracker.events:
        kind, text = event.get("event"), event.get("text")
        if not isinstance(text, str) or not text or is_payload(text):
            continue
        if kind == "user":
            lines.append({"role": "customer", "text": text, "at": _at(event)})
        elif kind == "bot":
            lines.append({"role": "assistant", "text": text, "at": _at(event)})
    return lines[-TRANSCRIPT_LIMIT:]


def customer_message(tracker: Tracker) -> str:
    """The customer's latest words (a button press stands for the message before it)."""
    for event in reversed(tracker.events):
        text = event.get("text")
        is_words = isinstance(text, str) and bool(text) and not is_payload(text)
        if event.get("event") == "user" and is_words:
            return str(text)
    return ""


def attempted_actions(tracker: Tracker) -> list[str]:
    """Actions the assistant ran since the customer's latest message."""
    attempted: list[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            break
        name = event.get("name")
        if event.get("event") == "action" and name and name not in _BOOKKEEPING_ACTIONS:
            attempted.append(str(name))
    return list(reversed(attempted))


def escalation_packet(tracker: Tracker, reason: str) -> dict[str, Any]:
    """The JSON body of POST /api/v1/escalations for this conversation."""
    latest = tracker.latest_message or {}
    ranking = latest.get("intent_ranking") or ([latest["intent"]] if latest.get("intent") else [])
    return {
        "channel": tracker.get_latest_input_channel() or "rest",
        "conversation_id": tracker.sender_id,
        "language": conversation_language(tracker),
        "reason": reason,
        "customer_message": customer_message(tracker),
        "transcript": transcript(tracker),
        "intents": [
            {"name": str(item.get("name")), "confidence": float(item.get("confidence") or 0.0)}
            for item in ranking[:INTENT_LIMIT]
            if item.get("name")
        ],
        "entities": [
            {"entity": str(item.get("entity")), "value": item.get("value")}
            for item in latest.get("entities") or []
            if item.get("entity") != ENTITY_AGENT_MESSAGE
        ],
        "attempted": attempted_actions(tracker),
    }


def _utc_now() -> datetime:
    # A module-level function, not a lambda: the action server pickles every action into
    # its worker process.
    return datetime.now(UTC)


class ActionEscalate(Action):  # type: ignore[misc]
    """Hands the conversation to a colleague and tells the customer when to expect an answer."""

    def __init__(
        self,
        inbox: InboxClient | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """Collaborators default to the real inbox and the wall clock."""
        self._inbox = inbox
        self._clock = clock or _utc_now

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_ESCALATE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Opens (or joins) the ticket; on failure apologises and keeps the assistant in charge."""
        language = conversation_language(tracker)
        reason = escalation_reason(tracker)
        inbox = self._inbox or InboxClient()
        try:
            receipt = await inbox.escalate(escalation_packet(tracker, reason))
        except InboxUnavailable as error:
            logger.error(
                "escalation of conversation %s failed (%s)", tracker.sender_id, error
            )
            dispatcher.utter_message(response=UTTER_ESCALATION_FAILED)
            return [SlotSet(SLOT_HUMAN_OWNED, False)]
        logger.info(
            "conversation %s escalated as ticket %s (%s)",
            tracker.sender_id, receipt.ticket_id, reason,
        )
        if receipt.first_response_due_at is not None:
            due = format_due(receipt.first_response_due_at, language, self._clock())
            dispatcher.utter_message(response=UTTER_ESCALATED, due=due)
        else:
            dispatcher.utter_message(response=UTTER_ESCALATED_NO_TIME)
        events: list[EventType] = [
            SlotSet(SLOT_HUMAN_OWNED, True),
            SlotSet(SLOT_TICKET_ID, receipt.ticket_id),
        ]
        if tracker.active_loop.get("name"):
            events.append(ActiveLoop(None))
        return events


class ActionForwardToInbox(Action):  # type: ignore[misc]
    """While a colleague owns the conversation, passes each customer message on silently."""

    def __init__(self, inbox: InboxClient | None = None) -> None:
        """The inbox client defaults to the configured inbox."""
        self._inbox = inbox

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_FORWARD_TO_INBOX

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Forwards the message; says something only when it could not be delivered."""
        inbox = self._inbox or InboxClient()
        try:
            await inbox.escalate(escalation_packet(tracker, REASON_CUSTOMER_MESSAGE))
        except InboxUnavailable as error:
            logger.error(
                "forwarding a message of conversation %s failed (%s)", tracker.sender_id, error
            )
            dispatcher.utter_message(response=UTTER_FORWARD_FAILED)
        return []


class ActionRelayAgentMessage(Action):  # type: ignore[misc]
    """Delivers a colleague's reply (sent by the inbox through trigger_intent) verbatim."""

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_RELAY_AGENT_MESSAGE

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Sends the text exactly as the colleague wrote it."""
        text = next(tracker.get_latest_entity_values(ENTITY_AGENT_MESSAGE), None)
        if text is None:
            text = tracker.get_slot(SLOT_AGENT_MESSAGE)
        if not isinstance(text, str) or not text.strip():
            logger.warning("agent message for %s arrived without text", tracker.sender_id)
            return []
        dispatcher.utter_message(text=text)
        # The reply is delivered; keep it out of the slot so it is never sent twice.
        return [SlotSet(SLOT_AGENT_MESSAGE, None)]


class ActionHandback(Action):  # type: ignore[misc]
    """Gives the conversation back to the assistant when the ticket is resolved."""

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_HANDBACK

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Clears the hand-off state and says, in the customer's language, that we're back."""
        dispatcher.utter_message(response=UTTER_HANDBACK)
        return [SlotSet(SLOT_HUMAN_OWNED, False), SlotSet(SLOT_TICKET_ID, None)]
