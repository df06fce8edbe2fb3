"""What the conversation is about: the last product or event talked about, and for how long.

Follow-ups name nothing ("when is it back?", "how much is it and is there room?", "mag die in
de droger?"): they are about the subject of the last answer. Every answer about a product or
an event makes it the subject (`about`), so a new subject replaces the old one; a subject
nobody mentioned for `SUBJECT_TURNS` customer messages is forgotten, so "how much is it?" an
hour of other questions later asks which product is meant instead of guessing.
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.domain_names import SLOT_SUBJECT, SLOT_SUBJECT_TURN

SUBJECT_PRODUCT = "product"
SUBJECT_EVENT = "event"
SUBJECT_ORDER = "order"

# Customer messages a subject outlives its last mention: long enough for a few follow-ups
# ("and in navy?", "when is it back?", "can it go in the dryer?"), short enough to be fresh.
SUBJECT_TURNS = 4

# Words that point back at the subject instead of naming one: NLU sometimes tags them as a
# product ("is [die](product) er nog?"); they must never be looked up as a product name.
_REFERENCE = re.compile(
    r"^(it|its|that|that one|this|this one|the one|those|these|them|one|"
    r"die|dien|diene|dieje|deze|dat|da|dit|hem|em|'m|het|ervan|daarvan|die ene|dat ding)$"
)


def is_reference(text: str) -> bool:
    """True for "it", "that one", "die", "hem", "ervan": words that point back, not names."""
    return bool(_REFERENCE.match(" ".join(text.lower().strip(" ?!.,").split())))


def customer_turns(tracker: Tracker) -> int:
    """How many messages the customer sent in this conversation so far (this one included)."""
    return sum(1 for event in tracker.events if event.get("event") == "user")


def about(subject: str, tracker: Tracker) -> list[EventType]:
    """The events that make `subject` what the conversation is about, as of this message."""
    return [
        SlotSet(SLOT_SUBJECT, subject),
        SlotSet(SLOT_SUBJECT_TURN, str(customer_turns(tracker))),
    ]


def current_subject(tracker: Tracker) -> str | None:
    """The subject a follow-up refers to, or None when none was set or it has expired."""
    subject: Any = tracker.get_slot(SLOT_SUBJECT)
    if not subject:
        return None
    since: Any = tracker.get_slot(SLOT_SUBJECT_TURN)
    if since is not None and customer_turns(tracker) - int(float(since)) > SUBJECT_TURNS:
        return None
    return str(subject)


def earlier_slot(tracker: Tracker, name: str) -> Any:
    """A slot's value before the latest customer message: what earlier turns left in it.

    Slots filled from this message's entities are set after its user event; a tracker
    without any customer message (a unit test's) gives the slot as it stands.
    """
    events = list(tracker.events)
    users = [position for position, event in enumerate(events) if event.get("event") == "user"]
    if not users:
        return tracker.get_slot(name)
    for event in reversed(events[: users[-1]]):
        if event.get("event") == "slot" and event.get("name") == name:
            return event.get("value")
    return None


def remembers(tracker: Tracker, subject: str) -> bool:
    """True when slots about `subject` left from earlier turns may answer this message.

    A conversation that never recorded a subject keeps the old behaviour: the slot alone.
    """
    if not tracker.get_slot(SLOT_SUBJECT):
        return True
    return current_subject(tracker) == subject
