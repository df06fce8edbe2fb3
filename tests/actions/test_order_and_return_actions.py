"""Order status, refund status, return policy and return start, in Dutch and English."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from actions.orders import ActionOrderStatus, ActionRefundStatus
from actions.returns import ActionReturnPolicy, ActionReturnStart
from catalogue.models import Return
from catalogue.repository import Catalogue
from tests.actions.catalogue_helpers import names, render, run, slot_events, tracker, variables
from tests.catalogue.factories import make_catalogue, seeded_sqlite_url


@pytest.fixture
async def catalogue(tmp_path: Path) -> AsyncIterator[Catalogue]:
    """The demo data seeded at NOW (Tuesday 1 December 2026), on SQLite."""
    catalogue = make_catalogue(seeded_sqlite_url(tmp_path))
    yield catalogue
    await catalogue.dispose()


async def _returns(catalogue: Catalogue) -> int:
    async with catalogue.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Return)) or 0)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            "Bestelling 100512 is onderweg: verzonden op maandag 30 november met PostNL. "
            "Je track & trace-code is 3SLDC100512NL.",
        ),
        (
            "en",
            "Order 100512 is on its way: shipped on Monday 30 November with PostNL. "
            "Your tracking code is 3SLDC100512NL.",
        ),
    ],
)
async def test_order_in_transit(catalogue: Catalogue, language: str, expected: str) -> None:
    messages, events = await run(
        ActionOrderStatus(catalogue),
        tracker(language, order_number="100512", verification="3511KJ"),
    )
    assert [render(m, language) for m in messages] == [expected]
    # The pair is never kept around after the answer; the order becomes the subject.
    assert slot_events(events) == {
        "order_number": None,
        "verification": None,
        "subject": "order",
        "subject_turn": "0",
    }


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_wrong_pair_and_unknown_order_get_the_same_answer(
    catalogue: Catalogue, language: str
) -> None:
    wrong, _ = await run(
        ActionOrderStatus(catalogue),
        tracker(language, order_number="100512", verification="tom@example.org"),
    )
    unknown, _ = await run(
        ActionOrderStatus(catalogue),
        tracker(language, order_number="999999", verification="3511KJ"),
    )
    assert names(wrong) == names(unknown) == ["utter_order_not_verified"]
    assert wrong == unknown
    assert "100512" not in render(wrong[0], language)


async def test_delivered_order_by_email(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionOrderStatus(catalogue),
        tracker("nl", order_number="#100234", verification="Sanne.DeVries@example.nl"),
    )
    assert render(messages[0], "nl") == "Bestelling 100234 is bezorgd op zaterdag 21 november."


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_malformed_order_number(catalogue: Catalogue, language: str) -> None:
    messages, _ = await run(
        ActionOrderStatus(catalogue), tracker(language, order_number="12", verification="1012AB")
    )
    assert names(messages) == ["utter_order_number_invalid"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "nl",
            "Je retour R100419-1 is op zondag 29 november bij ons binnengekomen. "
            "Je krijgt € 99,95 terug, uiterlijk op vrijdag 4 december.",
        ),
        (
            "en",
            "Your return R100419-1 arrived on Sunday 29 November. "
            "We'll refund €99.95 by Friday 4 December at the latest.",
        ),
    ],
)
async def test_refund_pending(catalogue: Catalogue, language: str, expected: str) -> None:
    messages, _ = await run(
        ActionRefundStatus(catalogue),
        tracker(language, order_number="100419", verification="2011 hb"),
    )
    assert [render(m, language) for m in messages] == [expected]


async def test_refund_status_needs_the_pair_too(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionRefundStatus(catalogue),
        tracker("en", order_number="100419", verification="1012AB"),
    )
    assert names(messages) == ["utter_order_not_verified"]


async def test_refund_without_a_return(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionRefundStatus(catalogue),
        tracker("en", order_number="100234", verification="1012AB"),
    )
    assert names(messages) == ["utter_refund_no_return"]


@pytest.mark.parametrize(
    ("language", "fragments"),
    [
        ("nl", ["30 dagen", "Nederland en België", "oorbellen en ondergoed", "5 werkdagen"]),
        ("en", ["30 days", "Netherlands and Belgium", "earrings and underwear", "5 business"]),
    ],
)
async def test_return_policy(catalogue: Catalogue, language: str, fragments: list[str]) -> None:
    messages, _ = await run(ActionReturnPolicy(catalogue), tracker(language))
    text = render(messages[0], language)
    assert all(fragment in text for fragment in fragments), text


@pytest.mark.parametrize(
    ("language", "item", "product", "amount"),
    [
        ("nl", "de jurk", "Lina wikkeljurk", "€ 79,95"),
        ("en", "the wrap dress", "Lina wrap dress", "€79.95"),
    ],
)
async def test_return_start_creates_a_return_with_instructions(
    catalogue: Catalogue, language: str, item: str, product: str, amount: str
) -> None:
    messages, events = await run(
        ActionReturnStart(catalogue),
        tracker(
            language,
            order_number="100234",
            verification="1012AB",
            return_item=item,
            return_reason="te klein",
        ),
    )
    assert names(messages) == ["utter_return_created"]
    assert variables(messages[0]) == {
        "return_number": "R100234-1",
        "product": product,
        "ship_days": 14,
        "refund_days": 5,
        "amount": amount,
    }
    assert "R100234-1" in render(messages[0], language)
    assert await _returns(catalogue) == 2
    assert set(slot_events(events)) == {
        "order_number",
        "verification",
        "return_item",
        "return_reason",
    }


async def test_return_outside_the_window(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionReturnStart(catalogue),
        tracker(
            "nl",
            order_number="100007",
            verification="3011AD",
            return_item="blouse",
            return_reason="past niet",
        ),
    )
    assert render(messages[0], "nl") == (
        "Bestelling 100007 is bezorgd op zaterdag 17 oktober. De retourtermijn van 30 dagen "
        "liep af op maandag 16 november, dus retourneren kan helaas niet meer."
    )
    assert await _returns(catalogue) == 1


async def test_return_of_an_item_not_in_the_order(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionReturnStart(catalogue),
        tracker(
            "en",
            order_number="100234",
            verification="1012AB",
            return_item="raincoat",
            return_reason="wet",
        ),
    )
    assert render(messages[0], "en") == (
        'I can\'t find "raincoat" in this order. It contains: Lina wrap dress and '
        "Sven wool scarf."
    )


async def test_return_with_a_wrong_pair_reveals_nothing_and_creates_nothing(
    catalogue: Catalogue,
) -> None:
    messages, _ = await run(
        ActionReturnStart(catalogue),
        tracker(
            "en",
            order_number="100234",
            verification="9999ZZ",
            return_item="dress",
            return_reason="x",
        ),
    )
    assert names(messages) == ["utter_order_not_verified"]
    assert await _returns(catalogue) == 1


async def test_return_of_a_shipped_order(catalogue: Catalogue) -> None:
    messages, _ = await run(
        ActionReturnStart(catalogue),
        tracker(
            "nl",
            order_number="100512",
            verification="3511KJ",
            return_item="trui",
            return_reason="x",
        ),
    )
    assert names(messages) == ["utter_return_not_delivered"]


async def _wrong_tries(catalogue: Catalogue, count: int, sender: str = "test-conversation") -> None:
    for _ in range(count):
        messages, _ = await run(
            ActionOrderStatus(catalogue),
            tracker("en", order_number="100512", verification="9999ZZ", sender=sender),
        )
        assert names(messages) == ["utter_order_not_verified"]


async def test_two_wrong_tries_still_allow_a_third(catalogue: Catalogue) -> None:
    await _wrong_tries(catalogue, 2)
    messages, _ = await run(
        ActionOrderStatus(catalogue),
        tracker("en", order_number="100512", verification="3511KJ"),
    )
    assert names(messages) == ["utter_order_shipped"]


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_after_three_wrong_tries_a_colleague_takes_over(
    catalogue: Catalogue, language: str
) -> None:
    await _wrong_tries(catalogue, 3)
    # Even the right pair is no longer checked: guessing must not pay off.
    messages, events = await run(
        ActionOrderStatus(catalogue),
        tracker(language, order_number="100512", verification="3511KJ"),
    )
    assert names(messages) == ["utter_order_verification_locked"]
    # NOW is 10:00 in Amsterdam; the first wrong try leaves the hour's window at 11:00.
    expected = {
        "nl": "Probeer het na 11:00 opnieuw, of laat een collega je helpen",
        "en": "Please try again after 11:00, or let a colleague help you",
    }
    assert expected[language] in render(messages[0], language)
    assert {"event": "followup", "name": "action_escalate", "timestamp": None} in events
    note = slot_events(events)["verification_lockout"]
    assert note == (
        "order 100512: too many wrong email/postcode tries, locked until 2026-12-01T11:00+01:00"
    )
    refund, _ = await run(
        ActionRefundStatus(catalogue),
        tracker(language, order_number="100419", verification="2011HB"),
    )
    assert names(refund) == ["utter_order_verification_locked"]
    started, _ = await run(
        ActionReturnStart(catalogue),
        tracker(
            language,
            order_number="100234",
            verification="1012AB",
            return_item="dress",
            return_reason="x",
        ),
    )
    assert names(started) == ["utter_order_verification_locked"]
    assert await _returns(catalogue) == 1


async def test_guessing_from_new_conversations_is_stopped(catalogue: Catalogue) -> None:
    """Postcode guessing with a fresh sender id for every try locks the order itself."""
    for guess in range(5):
        await _wrong_tries(catalogue, 1, sender=f"attacker-{guess}")
    messages, events = await run(
        ActionOrderStatus(catalogue),
        tracker("en", order_number="100512", verification="3511KJ", sender="attacker-5"),
    )
    assert names(messages) == ["utter_order_verification_locked"]
    assert "order 100512" in slot_events(events)["verification_lockout"]
    # Other orders stay open to other customers.
    other, _ = await run(
        ActionOrderStatus(catalogue),
        tracker("en", order_number="100234", verification="1012AB", sender="someone"),
    )
    assert names(other) != ["utter_order_verification_locked"]
