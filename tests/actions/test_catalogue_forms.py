"""The three form validators: bad input is answered and asked again; nothing else is lost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions.forms import (
    FORM_REJECTIONS,
    ValidateEventSignupForm,
    ValidateOrderLookupForm,
    ValidateReturnStartForm,
)
from actions.returns import ActionReturnStart
from catalogue.repository import Catalogue
from tests.actions.catalogue_helpers import domain, names, render, run, slot_events, tracker
from tests.actions.trackers import parse_data, user_event
from tests.catalogue.factories import make_catalogue, seeded_sqlite_url


@pytest.fixture
async def catalogue(tmp_path: Path) -> AsyncIterator[Catalogue]:
    """The demo data seeded at NOW (Tuesday 1 December 2026), on SQLite."""
    catalogue = make_catalogue(seeded_sqlite_url(tmp_path))
    yield catalogue
    await catalogue.dispose()


def filling(form: str, language: str, slot: str, value: Any, **known: Any) -> Tracker:
    """The tracker as Rasa sends it when the customer just answered `slot` of `form`."""
    return tracker(
        language,
        events=[{"event": "slot", "name": slot, "value": value, "timestamp": None}],
        active_loop=form,
        requested_slot=slot,
        **known,
        **{slot: value},
    )


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_order_number_must_be_six_digits(catalogue: Catalogue, language: str) -> None:
    bad, bad_events = await run(
        ValidateOrderLookupForm(catalogue),
        filling("order_lookup_form", language, "order_number", "12345"),
    )
    assert names(bad) == ["utter_order_number_invalid"]
    assert "100234" in render(bad[0], language)
    assert slot_events(bad_events) == {"order_number": None}
    good, good_events = await run(
        ValidateOrderLookupForm(catalogue),
        filling("order_lookup_form", language, "order_number", "order #100512"),
    )
    assert good == [] and slot_events(good_events) == {"order_number": "100512"}


async def test_verification_is_normalised_or_asked_again(catalogue: Catalogue) -> None:
    bad, bad_events = await run(
        ValidateOrderLookupForm(catalogue),
        filling("order_lookup_form", "nl", "verification", "Amsterdam", order_number="100512"),
    )
    assert names(bad) == ["utter_verification_invalid"]
    assert slot_events(bad_events) == {"verification": None}
    _, good_events = await run(
        ValidateOrderLookupForm(catalogue),
        filling("order_lookup_form", "nl", "verification", "3511 kj", order_number="100512"),
    )
    assert slot_events(good_events) == {"verification": "3511KJ"}


async def test_return_form_checks_the_pair_before_asking_for_the_item(
    catalogue: Catalogue,
) -> None:
    wrong, wrong_events = await run(
        ValidateReturnStartForm(catalogue),
        filling("return_start_form", "en", "verification", "9999 ZZ", order_number="100234"),
    )
    assert names(wrong) == ["utter_order_not_verified"]
    assert slot_events(wrong_events) == {"order_number": None, "verification": None}
    late, late_events = await run(
        ValidateReturnStartForm(catalogue),
        filling("return_start_form", "nl", "verification", "3011AD", order_number="100007"),
    )
    # The form ends; action_return_start says the window has closed.
    assert late == [] and slot_events(late_events)["requested_slot"] is None
    fine, fine_events = await run(
        ValidateReturnStartForm(catalogue),
        filling("return_start_form", "en", "verification", "1012ab", order_number="100234"),
    )
    assert fine == [] and slot_events(fine_events) == {"verification": "1012AB"}


@pytest.mark.parametrize(
    ("language", "item", "expected"),
    [("nl", "sjaal", "Sven wollen sjaal"), ("en", "the scarf", "Sven wool scarf")],
)
async def test_return_item_is_matched_to_the_order(
    catalogue: Catalogue, language: str, item: str, expected: str
) -> None:
    _, events = await run(
        ValidateReturnStartForm(catalogue),
        filling(
            "return_start_form",
            language,
            "return_item",
            item,
            order_number="100234",
            verification="1012AB",
        ),
    )
    assert slot_events(events) == {"return_item": expected}


async def test_return_item_not_in_the_order_is_asked_again(catalogue: Catalogue) -> None:
    messages, events = await run(
        ValidateReturnStartForm(catalogue),
        filling(
            "return_start_form",
            "nl",
            "return_item",
            "sokken",
            order_number="100234",
            verification="1012AB",
        ),
    )
    assert render(messages[0], "nl") == (
        'Ik zie "sokken" niet in deze bestelling. Daarin zitten: Lina wikkeljurk en '
        "Sven wollen sjaal."
    )
    assert slot_events(events) == {"return_item": None}


async def test_empty_return_reason(catalogue: Catalogue) -> None:
    messages, events = await run(
        ValidateReturnStartForm(catalogue),
        filling(
            "return_start_form",
            "en",
            "return_reason",
            " ",
            order_number="100234",
            verification="1012AB",
            return_item="Lina wrap dress",
        ),
    )
    assert names(messages) == ["utter_return_reason_missing"]
    assert slot_events(events) == {"return_reason": None}


@pytest.mark.parametrize(
    ("asked", "response"),
    [
        ("sample sale", "utter_event_no_registration"),
        ("summer preview", "utter_event_past"),
        ("kerstdiner", "utter_event_unknown"),
    ],
)
async def test_event_that_takes_no_signups(catalogue: Catalogue, asked: str, response: str) -> None:
    messages, events = await run(
        ValidateEventSignupForm(catalogue), filling("event_signup_form", "en", "event", asked)
    )
    assert names(messages) == [response]
    assert slot_events(events) == {"event": None}


async def test_event_is_stored_by_its_title(catalogue: Catalogue) -> None:
    _, events = await run(
        ValidateEventSignupForm(catalogue),
        filling("event_signup_form", "nl", "event", "de workshop in utrecht"),
    )
    assert slot_events(events) == {"event": "Stylingworkshop"}


@pytest.mark.parametrize(
    ("slot", "value", "response", "stored"),
    [
        ("attendee_name", "x", "utter_attendee_name_invalid", None),
        ("attendee_name", "  An   de Wit ", None, "An de Wit"),
        ("attendee_email", "an@", "utter_attendee_email_invalid", None),
        ("attendee_email", "An@Example.com", None, "an@example.com"),
        ("places", "9", "utter_places_invalid", None),
        ("places", "twee", None, "2"),
        ("places", "13", "utter_places_invalid", None),
    ],
)
async def test_signup_details(
    catalogue: Catalogue, slot: str, value: str, response: str | None, stored: str | None
) -> None:
    messages, events = await run(
        ValidateEventSignupForm(catalogue),
        filling("event_signup_form", "nl", slot, value, event="Stylingworkshop"),
    )
    assert names(messages) == ([response] if response else [])
    assert slot_events(events) == {slot: stored}
    for message in messages:
        assert render(message, "nl")


async def test_return_form_stops_after_three_wrong_tries(catalogue: Catalogue) -> None:
    for _ in range(3):
        wrong, _ = await run(
            ValidateReturnStartForm(catalogue),
            filling("return_start_form", "en", "verification", "9999ZZ", order_number="100234"),
        )
        assert names(wrong) == ["utter_order_not_verified"]
    conversation = filling(
        "return_start_form", "en", "verification", "1012AB", order_number="100234"
    )
    messages, events = await run(ValidateReturnStartForm(catalogue), conversation)
    assert names(messages) == ["utter_order_verification_locked"]
    assert slot_events(events)["verification_lockout"].startswith("order 100234:")
    assert {"event": "active_loop", "name": None, "timestamp": None} in events
    assert {"event": "followup", "name": "action_escalate", "timestamp": None} in events


def return_started_with(
    language: str, entities: list[dict[str, str]], slot: str, value: str, **known: Any
) -> Tracker:
    """The return form answering `slot`, after a first message that named these entities."""
    opening = user_event(parse_data("ik wil iets terugsturen", "return_start", entities=entities))
    events = [
        {"event": "action", "name": "action_listen"}, opening,
        {"event": "action", "name": "return_start_form"},
        {"event": "active_loop", "name": "return_start_form"},
        {"event": "slot", "name": slot, "value": value, "timestamp": None},
    ]
    return tracker(
        language, events=events, active_loop="return_start_form", requested_slot=slot,
        **known, **{slot: value},
    )


@pytest.mark.parametrize(
    ("language", "named", "stored"),
    [("nl", "Lina wrap dress", "Lina wikkeljurk"), ("en", "Lina wrap dress", "Lina wrap dress"),
     ("en", "scarf", "Sven wool scarf")],
)
async def test_the_item_named_when_asking_is_not_asked_again(
    catalogue: Catalogue, language: str, named: str, stored: str
) -> None:
    kind = "category" if named == "scarf" else "product"
    messages, events = await run(
        ValidateReturnStartForm(catalogue),
        return_started_with(
            language, [{"entity": kind, "value": named}], "verification", "1012 ab",
            order_number="100234",
        ),
    )
    assert messages == []
    assert slot_events(events) == {"verification": "1012AB", "return_item": stored}


async def test_a_named_item_that_is_not_in_the_order_is_said_once(catalogue: Catalogue) -> None:
    messages, events = await run(
        ValidateReturnStartForm(catalogue),
        return_started_with(
            "en", [{"entity": "product", "value": "Storm raincoat"}], "verification", "1012AB",
            order_number="100234",
        ),
    )
    assert names(messages) == ["utter_return_item_not_in_order"]
    assert "?" not in render(messages[0], "en")
    assert slot_events(events) == {"verification": "1012AB"}


async def test_nothing_named_means_the_item_is_asked(catalogue: Catalogue) -> None:
    messages, events = await run(
        ValidateReturnStartForm(catalogue),
        return_started_with("nl", [], "verification", "1012AB", order_number="100234"),
    )
    assert messages == [] and slot_events(events) == {"verification": "1012AB"}


@pytest.mark.parametrize(
    ("number", "postcode", "response"),
    [("100007", "3011AD", "utter_return_outside_window"),
     ("100512", "3511KJ", "utter_return_not_delivered")],
)
@pytest.mark.parametrize("language", ["nl", "en"])
async def test_an_order_that_cannot_be_returned_ends_the_form_cleanly(
    catalogue: Catalogue, language: str, number: str, postcode: str, response: str
) -> None:
    messages, events = await run(
        ValidateReturnStartForm(catalogue),
        return_started_with(
            language, [{"entity": "product", "value": "Lina wrap dress"}], "verification",
            postcode, order_number=number,
        ),
    )
    assert messages == []
    ended = slot_events(events)
    # The form stops here (no order number asked again); the rule runs action_return_start.
    assert ended == {"verification": postcode, "requested_slot": None}
    answer, answer_events = await run(
        ActionReturnStart(catalogue),
        tracker(language, order_number=number, verification=postcode),
    )
    assert names(answer) == [response]
    assert "?" not in render(answer[0], language)
    assert slot_events(answer_events) == {
        "order_number": None, "verification": None, "return_item": None, "return_reason": None
    }


@pytest.mark.parametrize(
    ("language", "typed", "items"),
    [("nl", "1012 AB", "Lina wikkeljurk en Sven wollen sjaal"),
     ("en", "1012ab", "Lina wrap dress and Sven wool scarf"),
     ("en", "100234", "Lina wrap dress and Sven wool scarf"),
     ("nl", "sanne.devries@example.nl", "Lina wikkeljurk en Sven wollen sjaal")],
)
async def test_order_details_typed_for_the_item_are_recognised(
    catalogue: Catalogue, language: str, typed: str, items: str
) -> None:
    messages, events = await run(
        ValidateReturnStartForm(catalogue),
        filling(
            "return_start_form", language, "return_item", typed,
            order_number="100234", verification="1012AB",
        ),
    )
    assert names(messages) == ["utter_return_item_not_an_item"]
    assert items in render(messages[0], language)
    assert slot_events(events) == {"return_item": None}


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("response", FORM_REJECTIONS)
def test_a_rejection_never_asks_what_the_form_asks_next(response: str, language: str) -> None:
    # The form utters utter_ask_<slot> right after the rejection: one question per reply.
    for variation in domain()["responses"][response]:
        assert "?" not in variation["text"], (response, variation["text"])
