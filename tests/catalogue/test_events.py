"""Events: upcoming lists, finding one by name, and signups that never overbook."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from catalogue.models import Event, Registration
from catalogue.repository import Catalogue, SignupOutcome
from tests.catalogue.factories import NOW, add_event, make_catalogue


async def test_upcoming_events_soonest_first_and_by_city(seeded: Catalogue) -> None:
    upcoming = await seeded.upcoming_events()
    assert [e.slug for e in upcoming] == ["styling-workshop", "autumn-fashion-show", "sample-sale"]
    assert [e.slug for e in await seeded.upcoming_events(city="rotterdam")] == ["sample-sale"]
    assert await seeded.upcoming_events(city="Groningen") == []


async def test_find_event_by_customer_words(seeded: Catalogue) -> None:
    cases = {
        "najaarsmodeshow": "autumn-fashion-show",
        "the fashion show": "autumn-fashion-show",
        "workshop in Utrecht": "styling-workshop",
        "stylingworkshop": "styling-workshop",
        "sample sale": "sample-sale",
    }
    for words, slug in cases.items():
        event = await seeded.find_event(words)
        assert event is not None and event.slug == slug, words
    assert await seeded.find_event("kerstborrel op de maan") is None


async def test_signup_outcomes(seeded: Catalogue) -> None:
    events = {e.slug: e for e in await seeded.upcoming_events()}
    workshop = events["styling-workshop"]
    first = await seeded.sign_up(workshop.id, "An de Wit", "AN@example.com", 2)
    assert first.outcome is SignupOutcome.CONFIRMED and first.places_left == 10
    assert first.confirmation is not None and first.confirmation.startswith("EV-")
    again = await seeded.sign_up(workshop.id, "An de Wit", "an@example.com", 1)
    assert again.outcome is SignupOutcome.ALREADY_REGISTERED
    assert again.confirmation == first.confirmation
    too_many = await seeded.sign_up(workshop.id, "Groep", "groep@example.com", 11)
    assert too_many.outcome is SignupOutcome.FULL and too_many.places_left == 10
    sale = await seeded.sign_up(events["sample-sale"].id, "Bo", "bo@example.com", 1)
    assert sale.outcome is SignupOutcome.NO_REGISTRATION
    past = await seeded.find_event("summer preview")
    assert past is not None
    assert (await seeded.sign_up(past.id, "Bo", "bo@example.com", 1)).outcome is SignupOutcome.PAST
    assert (await seeded.sign_up(99999, "Bo", "bo@example.com", 1)).outcome is (
        SignupOutcome.UNKNOWN_EVENT
    )


async def _fifty_signups_for_ten_places(url: str) -> None:
    setup = make_catalogue(url)
    event_id = await add_event(
        setup.sessions, slug="rush", starts_at=NOW + timedelta(days=3), capacity=10
    )
    await setup.dispose()
    # Two engines, as two action-server processes would have.
    first, second = make_catalogue(url), make_catalogue(url)
    try:
        results = await asyncio.gather(
            *(
                (first if i % 2 else second).sign_up(
                    event_id, f"Gast {i}", f"gast{i}@example.com", 1
                )
                for i in range(50)
            )
        )
        async with first.sessions() as session:
            taken = await session.scalar(select(Event.places_taken).where(Event.id == event_id))
            registered = await session.scalar(
                select(func.count())
                .select_from(Registration)
                .where(Registration.event_id == event_id)
            )
    finally:
        await first.dispose()
        await second.dispose()
    outcomes = [r.outcome for r in results]
    confirmations = {r.confirmation for r in results if r.outcome is SignupOutcome.CONFIRMED}
    assert outcomes.count(SignupOutcome.CONFIRMED) == 10
    assert outcomes.count(SignupOutcome.FULL) == 40
    assert len(confirmations) == 10
    assert taken == 10 and registered == 10


async def test_fifty_concurrent_signups_for_ten_places(db_url: str) -> None:
    await _fifty_signups_for_ten_places(db_url)
