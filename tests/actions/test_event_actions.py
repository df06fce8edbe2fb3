"""Event list, details and signup in Dutch and English."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from actions.events import ActionEventDetails, ActionEventList, ActionEventSignup, parse_places
from catalogue.models import Event
from catalogue.repository import Catalogue
from tests.actions.catalogue_helpers import names, render, run, slot_events, tracker, variables


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            [
                "Dit zijn onze komende events:",
                "• Stylingworkshop – dinsdag 15 december, 14:00–16:00, Utrecht",
                "• Najaarsmodeshow – maandag 21 december, 19:00–21:00, Amsterdam",
                "• Sample sale – maandag 25 januari, 10:00–17:00, Rotterdam",
            ],
        ),
        (
            "en",
            [
                "These are our upcoming events:",
                "• Styling workshop – Tuesday 15 December, 14:00–16:00, Utrecht",
                "• Autumn fashion show – Monday 21 December, 19:00–21:00, Amsterdam",
                "• Sample sale – Monday 25 January, 10:00–17:00, Rotterdam",
            ],
        ),
    ],
)
async def test_upcoming_events(catalogue: Catalogue, language: str, expected: list[str]) -> None:
    messages, _ = await run(ActionEventList(catalogue), tracker(language))
    assert render(messages[0], language).splitlines() == expected


async def test_events_in_one_city(catalogue: Catalogue) -> None:
    messages, events = await run(ActionEventList(catalogue), tracker("en", city="utrecht"))
    assert names(messages) == ["utter_event_list_city"]
    assert render(messages[0], "en").splitlines() == [
        "Upcoming events in Utrecht:",
        "• Styling workshop – Tuesday 15 December, 14:00–16:00, Utrecht",
    ]
    assert slot_events(events)["city"] is None
    # The listed events are what a follow-up ("is there room?") is about.
    assert slot_events(events)["listed_events"] == ["styling-workshop"]
    assert slot_events(events)["subject"] == "event"


async def test_no_events_in_that_city(catalogue: Catalogue) -> None:
    messages, _ = await run(ActionEventList(catalogue), tracker("nl", city="Groningen"))
    assert render(messages[0], "nl") == (
        "In Groningen staan geen events gepland. "
        "We organiseren events in Amsterdam, Rotterdam en Utrecht."
    )


@pytest.mark.parametrize(
    ("language", "event", "expected"),
    [
        (
            "nl",
            "stylingworkshop",
            [
                "Stylingworkshop: dinsdag 15 december, 14:00–16:00, Linde & Co Utrecht, "
                "Oudegracht 141. Twee uur met onze stylisten: maak vijf outfits van tien items.",
                "Deelname kost € 15,00 per persoon.",
                "Aanmelden is nodig. Vrije plekken: 12.",
            ],
        ),
        (
            "en",
            "the fashion show",
            [
                "Autumn fashion show: Monday 21 December, 19:00–21:00, Linde & Co Amsterdam, "
                "Herengracht 212. Our new autumn collection on the catwalk, with drinks "
                "afterwards.",
                "It's free to attend.",
                "Registration is required. Places left: 80.",
            ],
        ),
    ],
)
async def test_event_details(
    catalogue: Catalogue, language: str, event: str, expected: list[str]
) -> None:
    messages, _ = await run(ActionEventDetails(catalogue), tracker(language, event=event))
    assert [render(m, language) for m in messages] == expected


async def test_walk_in_event_needs_no_registration(catalogue: Catalogue) -> None:
    messages, _ = await run(ActionEventDetails(catalogue), tracker("nl", event="sample sale"))
    assert names(messages) == [
        "utter_event_details",
        "utter_event_free",
        "utter_event_no_registration",
    ]


async def test_past_and_unknown_events(catalogue: Catalogue) -> None:
    past, _ = await run(ActionEventDetails(catalogue), tracker("en", event="summer preview"))
    assert render(past[0], "en") == (
        "Summer preview evening took place on Sunday 1 November, so it's already over."
    )
    unknown, _ = await run(ActionEventDetails(catalogue), tracker("nl", event="kerstdiner"))
    assert render(unknown[0], "nl") == (
        'Ik ken geen event dat "kerstdiner" heet. Onze komende events: '
        "Stylingworkshop, Najaarsmodeshow en Sample sale."
    )


@pytest.mark.parametrize(
    ("language", "start"),
    [
        ("nl", "Je bent aangemeld voor Stylingworkshop op dinsdag 15 december om 14:00"),
        ("en", "You're registered for Styling workshop on Tuesday 15 December at 14:00"),
    ],
)
async def test_signup_gives_a_confirmation_number(
    catalogue: Catalogue, language: str, start: str
) -> None:
    conversation = tracker(
        language,
        event="Styling workshop",
        attendee_name="An de Wit",
        attendee_email="an@example.com",
        places="2",
    )
    messages, events = await run(ActionEventSignup(catalogue), conversation)
    assert names(messages) == ["utter_event_signup_confirmed"]
    confirmation = variables(messages[0])["confirmation"]
    assert confirmation.startswith("EV-") and variables(messages[0])["places"] == 2
    assert render(messages[0], language).startswith(start)
    assert slot_events(events) == {
        "event": None,
        "attendee_name": None,
        "attendee_email": None,
        "places": None,
    }
    again, _ = await run(ActionEventSignup(catalogue), conversation)
    assert names(again) == ["utter_event_already_registered"]
    assert variables(again[0])["confirmation"] == confirmation


async def test_signup_for_a_full_event(catalogue: Catalogue) -> None:
    async with catalogue.sessions() as session, session.begin():
        await session.execute(
            update(Event).where(Event.slug == "styling-workshop").values(places_taken=12)
        )
    messages, _ = await run(
        ActionEventSignup(catalogue),
        tracker(
            "nl", event="stylingworkshop", attendee_name="Bo", attendee_email="bo@x.nl", places="1"
        ),
    )
    assert render(messages[0], "nl") == "Stylingworkshop is helaas vol."


async def test_signup_for_more_places_than_left(catalogue: Catalogue) -> None:
    async with catalogue.sessions() as session, session.begin():
        await session.execute(
            update(Event).where(Event.slug == "styling-workshop").values(places_taken=11)
        )
    messages, _ = await run(
        ActionEventSignup(catalogue),
        tracker(
            "en", event="styling workshop", attendee_name="Bo", attendee_email="bo@x.nl", places="3"
        ),
    )
    assert render(messages[0], "en") == (
        "There aren't that many places left for Styling workshop. Places left: 1."
    )


def test_places_in_words_and_digits() -> None:
    assert parse_places("2") == 2
    assert parse_places("twee personen") == 2
    assert parse_places("we are three") == 3
    assert parse_places("7") is None
    assert parse_places("veel") is None


async def test_event_named_in_the_message_beats_the_earlier_one(catalogue: Catalogue) -> None:
    messages, events = await run(
        ActionEventDetails(catalogue),
        tracker("en", "and what about the sample sale?", event="Styling workshop"),
    )
    assert variables(messages[0])["title"] == "Sample sale"
    assert slot_events(events)["event"] == "Sample sale"
    assert slot_events(events)["listed_events"] == ["sample-sale"]


async def test_follow_up_about_the_event_talked_about_before(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionEventDetails(catalogue), tracker("nl", "is het gratis?", event="Najaarsmodeshow")
    )
    assert variables(messages[0])["title"] == "Najaarsmodeshow"
