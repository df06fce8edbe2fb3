"""Store events: what is coming up, the details of one, and signing up for it."""

from __future__ import annotations

from collections.abc import Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.catalogue_access import CatalogueAction, latest_entity, latest_text, slot_text
from actions.conversation_context import SUBJECT_EVENT, about, current_subject
from actions.domain_names import (
    ACTION_EVENT_DETAILS,
    ACTION_EVENT_LIST,
    ACTION_EVENT_SIGNUP,
    SLOT_ATTENDEE_EMAIL,
    SLOT_ATTENDEE_NAME,
    SLOT_CITY,
    SLOT_EVENT,
    SLOT_LISTED_EVENTS,
    SLOT_PLACES,
)
from actions.localised_formats import format_day, format_list, format_price, format_time
from catalogue.models import Event
from catalogue.repository import Catalogue, SignupOutcome
from catalogue.search import normalise

UTTER_EVENT_LIST = "utter_event_list"
UTTER_EVENT_LIST_CITY = "utter_event_list_city"
UTTER_EVENT_LIST_NONE = "utter_event_list_none"
UTTER_EVENT_LIST_NONE_CITY = "utter_event_list_none_city"
UTTER_EVENT_DETAILS = "utter_event_details"
UTTER_EVENT_PRICE = "utter_event_price"
UTTER_EVENT_FREE = "utter_event_free"
UTTER_EVENT_PLACES_LEFT = "utter_event_places_left"
UTTER_EVENT_NO_REGISTRATION = "utter_event_no_registration"
UTTER_EVENT_FULL = "utter_event_full"
UTTER_EVENT_NOT_ENOUGH_PLACES = "utter_event_not_enough_places"
UTTER_EVENT_PAST = "utter_event_past"
UTTER_EVENT_UNKNOWN = "utter_event_unknown"
UTTER_EVENT_SIGNUP_CONFIRMED = "utter_event_signup_confirmed"
UTTER_EVENT_ALREADY_REGISTERED = "utter_event_already_registered"
UTTER_PLACES_INVALID = "utter_places_invalid"
UTTER_EVENT_ROOM_PAID = "utter_event_room_paid"
UTTER_EVENT_ROOM_FREE = "utter_event_room_free"
UTTER_EVENT_ROOM_FULL = "utter_event_room_full"
UTTER_EVENT_WALK_IN_PAID = "utter_event_walk_in_paid"
UTTER_EVENT_WALK_IN_FREE = "utter_event_walk_in_free"

# One signup books at most this many places (utter_ask_places says so too).
MAX_PLACES = 4
_NUMBER_WORDS = {
    "one": 1,
    "een": 1,
    "één": 1,
    "1": 1,
    "two": 2,
    "twee": 2,
    "2": 2,
    "three": 3,
    "drie": 3,
    "3": 3,
    "four": 4,
    "vier": 4,
    "4": 4,
}

FORGET_SIGNUP: list[EventType] = [
    SlotSet(SLOT_EVENT, None),
    SlotSet(SLOT_ATTENDEE_NAME, None),
    SlotSet(SLOT_ATTENDEE_EMAIL, None),
    SlotSet(SLOT_PLACES, None),
]


def parse_places(text: str | None) -> int | None:
    """A number of places from "2", "twee", "two people" or "met z'n 3", if 1 to MAX_PLACES."""
    if not text:
        return None
    for word in text.lower().replace("'", " ").split():
        value = _NUMBER_WORDS.get(word.strip(".,!?"))
        if value is not None:
            return value if 1 <= value <= MAX_PLACES else None
        if word.strip(".,!?").isdigit():
            return None
    return None


def event_lines(events: Sequence[Event], language: str) -> str:
    """One line per event: "• Styling workshop – Sunday 6 December, 14:00–16:00, Utrecht"."""
    return "\n".join(
        f"• {event.title(language)} – {format_day(event.starts_at, language)}, "
        f"{format_time(event.starts_at)}–{format_time(event.ends_at)}, {event.city}"
        for event in events
    )


async def event_titles(catalogue: Catalogue, language: str) -> str:
    """The titles of upcoming events, as a list for a sentence."""
    events = await catalogue.upcoming_events()
    return format_list([event.title(language) for event in events], language)


async def explain_unavailable(
    catalogue: Catalogue,
    event: Event | None,
    asked: str,
    dispatcher: CollectingDispatcher,
    language: str,
) -> bool:
    """Say why a signup for this event cannot happen; False when it can."""
    if event is None:
        dispatcher.utter_message(
            response=UTTER_EVENT_UNKNOWN,
            event=asked,
            events=await event_titles(catalogue, language),
        )
        return True
    if event.starts_at <= catalogue.now():
        dispatcher.utter_message(
            response=UTTER_EVENT_PAST,
            title=event.title(language),
            date=format_day(event.starts_at, language),
        )
        return True
    if not event.registration_required:
        dispatcher.utter_message(response=UTTER_EVENT_NO_REGISTRATION, title=event.title(language))
        return True
    if event.places_left() == 0:
        dispatcher.utter_message(response=UTTER_EVENT_FULL, title=event.title(language))
        return True
    return False


def listed(events: Sequence[Event]) -> list[EventType]:
    """The events just shown become what follow-ups ("is there room?") are about."""
    return [SlotSet(SLOT_LISTED_EVENTS, [event.slug for event in events])]


async def answer_event_follow_up(
    catalogue: Catalogue, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
) -> list[EventType] | None:
    """Price and room of the events the conversation is about; None when it is about none.

    For "how much is it and is there room?" after a list or an event's details, whatever
    intent it was read as: one line per event, places counted now.
    """
    if current_subject(tracker) != SUBJECT_EVENT:
        return None
    slugs = tracker.get_slot(SLOT_LISTED_EVENTS) or []
    now = catalogue.now()
    shown = await catalogue.events_by_slug([str(slug) for slug in slugs])
    events = [event for event in shown if event.starts_at > now]
    if not events:
        return None
    for event in events:
        say_price_and_room(event, dispatcher, language)
    return about(SUBJECT_EVENT, tracker)


def say_price_and_room(event: Event, dispatcher: CollectingDispatcher, language: str) -> None:
    """One line: the event's price per person and whether there is room (or no signup needed)."""
    details = {
        "title": event.title(language),
        "date": format_day(event.starts_at, language),
        "price": format_price(event.price, language),
    }
    places_left = event.places_left()
    if places_left is None:
        response = UTTER_EVENT_WALK_IN_PAID if event.price > 0 else UTTER_EVENT_WALK_IN_FREE
        dispatcher.utter_message(response=response, **details)
    elif places_left == 0:
        dispatcher.utter_message(response=UTTER_EVENT_ROOM_FULL, **details)
    else:
        response = UTTER_EVENT_ROOM_PAID if event.price > 0 else UTTER_EVENT_ROOM_FREE
        dispatcher.utter_message(response=response, places_left=places_left, **details)


class ActionEventList(CatalogueAction):
    """Upcoming events, optionally in one city."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_EVENT_LIST

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """List what is coming up, soonest first."""
        city = latest_entity(tracker, SLOT_CITY) or slot_text(tracker, SLOT_CITY)
        # A list is a new subject: follow-ups are about these events, not one asked before.
        subject = [SlotSet(SLOT_EVENT, None), *about(SUBJECT_EVENT, tracker)]
        if city is None:
            events = await self.catalogue.upcoming_events()
            if events:
                dispatcher.utter_message(
                    response=UTTER_EVENT_LIST, events=event_lines(events, language)
                )
            else:
                dispatcher.utter_message(response=UTTER_EVENT_LIST_NONE)
            return [*subject, *listed(events)]
        cities = await self.catalogue.cities()
        known = next((c for c in cities if normalise(c) == normalise(city)), city)
        events = await self.catalogue.upcoming_events(city=known)
        if events:
            dispatcher.utter_message(
                response=UTTER_EVENT_LIST_CITY, city=known, events=event_lines(events, language)
            )
        else:
            dispatcher.utter_message(
                response=UTTER_EVENT_LIST_NONE_CITY, city=city, cities=format_list(cities, language)
            )
        return [SlotSet(SLOT_CITY, None), *subject, *listed(events)]


class ActionEventDetails(CatalogueAction):
    """When, where, price and places of one event."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_EVENT_DETAILS

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """Describe the event named in the `event` slot (or the message)."""
        # This message's words first; the slot only for a follow-up ("and is it free?").
        asked = latest_entity(tracker, SLOT_EVENT) or latest_text(tracker)
        event = await self.catalogue.find_event(asked) if asked else None
        earlier = slot_text(tracker, SLOT_EVENT)
        if event is None and earlier:
            asked, event = earlier, await self.catalogue.find_event(earlier)
        if event is None:
            # "Is there room?" about the events just listed.
            follow_up = await answer_event_follow_up(self.catalogue, dispatcher, tracker, language)
            if follow_up is not None:
                return follow_up
            dispatcher.utter_message(
                response=UTTER_EVENT_UNKNOWN,
                event=asked,
                events=await event_titles(self.catalogue, language),
            )
            return [SlotSet(SLOT_EVENT, None)]
        title = event.title(language)
        if event.starts_at <= self.catalogue.now():
            dispatcher.utter_message(
                response=UTTER_EVENT_PAST, title=title, date=format_day(event.starts_at, language)
            )
            return [SlotSet(SLOT_EVENT, None)]
        dispatcher.utter_message(
            response=UTTER_EVENT_DETAILS,
            title=title,
            date=format_day(event.starts_at, language),
            start=format_time(event.starts_at),
            end=format_time(event.ends_at),
            venue=event.venue,
            description=event.description_nl if language == "nl" else event.description_en,
        )
        if event.price > 0:
            dispatcher.utter_message(
                response=UTTER_EVENT_PRICE, price=format_price(event.price, language)
            )
        else:
            dispatcher.utter_message(response=UTTER_EVENT_FREE)
        places_left = event.places_left()
        if places_left is None:
            dispatcher.utter_message(response=UTTER_EVENT_NO_REGISTRATION, title=title)
        elif places_left == 0:
            dispatcher.utter_message(response=UTTER_EVENT_FULL, title=title)
        else:
            dispatcher.utter_message(response=UTTER_EVENT_PLACES_LEFT, places_left=places_left)
        return [SlotSet(SLOT_EVENT, title), *about(SUBJECT_EVENT, tracker), *listed([event])]


class ActionEventSignup(CatalogueAction):
    """Registers the places the form collected; never overbooks."""

    def name(self) -> str:
        """The action's name in domain.yml."""
        return ACTION_EVENT_SIGNUP

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """Sign up and give the confirmation number, or say why not."""
        asked = slot_text(tracker, SLOT_EVENT) or ""
        event = await self.catalogue.find_event(asked) if asked else None
        if await explain_unavailable(self.catalogue, event, asked, dispatcher, language):
            return FORGET_SIGNUP
        assert event is not None
        name = slot_text(tracker, SLOT_ATTENDEE_NAME) or ""
        email = slot_text(tracker, SLOT_ATTENDEE_EMAIL) or ""
        places = parse_places(slot_text(tracker, SLOT_PLACES))
        if places is None:
            dispatcher.utter_message(response=UTTER_PLACES_INVALID, max_places=MAX_PLACES)
            return FORGET_SIGNUP
        result = await self.catalogue.sign_up(event.id, name, email, places)
        title = event.title(language)
        if result.outcome is SignupOutcome.CONFIRMED and result.confirmation:
            dispatcher.utter_message(
                response=UTTER_EVENT_SIGNUP_CONFIRMED,
                title=title,
                date=format_day(event.starts_at, language),
                start=format_time(event.starts_at),
                places=places,
                confirmation=result.confirmation,
            )
        elif result.outcome is SignupOutcome.ALREADY_REGISTERED and result.confirmation:
            dispatcher.utter_message(
                response=UTTER_EVENT_ALREADY_REGISTERED,
                title=title,
                confirmation=result.confirmation,
            )
        elif result.outcome is SignupOutcome.FULL and result.places_left:
            dispatcher.utter_message(
                response=UTTER_EVENT_NOT_ENOUGH_PLACES, title=title, places_left=result.places_left
            )
        elif result.outcome is SignupOutcome.FULL:
            dispatcher.utter_message(response=UTTER_EVENT_FULL, title=title)
        else:
            # It started, changed or vanished between the form and now.
            await explain_unavailable(self.catalogue, result.event, asked, dispatcher, language)
        return FORGET_SIGNUP
