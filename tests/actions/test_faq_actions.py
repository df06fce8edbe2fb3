"""General shop questions answered from the database, in Dutch and English (action_answer_faq)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from actions.asked_day import asked_day
from actions.domain_names import ACTION_ESCALATE, FAQ_TOPICS
from actions.faq import TEXTS, ActionAnswerFaq, asked_topic
from catalogue.models import FaqAnswer
from catalogue.repository import Catalogue
from tests.actions.catalogue_helpers import run
from tests.actions.trackers import make_tracker, parse_data
from tests.catalogue.factories import make_catalogue, seeded_sqlite_url

TODAY = date(2026, 12, 1)  # NOW in the factories: Tuesday 1 December 2026


@pytest.fixture
async def catalogue(tmp_path: Path) -> AsyncIterator[Catalogue]:
    """The demo data seeded at NOW, on SQLite."""
    catalogue = make_catalogue(seeded_sqlite_url(tmp_path))
    yield catalogue
    await catalogue.dispose()


def faq_message(text: str, topic: str, entities: dict[str, str] | None = None) -> dict[str, Any]:
    """A message Rasa read as faq/<topic> (intent `faq`, topic from the ResponseSelector)."""
    return parse_data(
        text,
        "faq",
        entities=[{"entity": k, "value": v} for k, v in (entities or {}).items()],
        response_selector={
            "faq": {"response": {"intent_response_key": f"faq/{topic}", "confidence": 0.9}}
        },
    )


async def answer(catalogue: Catalogue, language: str, text: str, topic: str,
                 entities: dict[str, str] | None = None, **slots: Any) -> str:
    """The one text the customer reads."""
    tracker = make_tracker(slots={"language": language, **slots},
                           latest=faq_message(text, topic, entities))
    messages, events = await run(ActionAnswerFaq(catalogue), tracker)
    assert events == []
    assert len(messages) == 1
    return str(messages[0]["text"])


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        ("en", "how fast do I get my money back?", "We refund within 5 business days"),
        ("nl", "hoe snel krijg ik mijn geld terug?", "We betalen binnen 5 werkdagen terug"),
    ],
)
async def test_a_general_refund_question_gets_the_policy_not_an_order_prompt(
    catalogue: Catalogue, language: str, question: str, expected: str
) -> None:
    reply = await answer(catalogue, language, question, "refund_time")
    assert reply.startswith(expected)
    assert "order number" not in reply and "bestelnummer" not in reply


@pytest.mark.parametrize("language", ["en", "nl"])
async def test_every_topic_has_an_answer_in_the_conversation_language(
    catalogue: Catalogue, language: str
) -> None:
    other = "nl" if language == "en" else "en"
    for topic in FAQ_TOPICS:
        reply = await answer(catalogue, language, "?", topic)
        stored = await catalogue.faq_answer(topic)
        assert stored is not None
        assert reply.endswith(stored.body(language))
        assert stored.body(other) not in reply


async def test_an_edited_answer_is_given_at_once(catalogue: Catalogue) -> None:
    async with catalogue.sessions() as session, session.begin():
        await session.execute(
            update(FaqAnswer).where(FaqAnswer.topic == "gift_cards").values(
                body_en="Gift cards now come in any amount up to €500.",
                body_nl="Cadeaubonnen zijn er nu tot €500.", version=2,
            )
        )
    assert await answer(catalogue, "en", "do you sell gift cards", "gift_cards") == (
        "Gift cards now come in any amount up to €500."
    )
    assert await answer(catalogue, "nl", "cadeaubon?", "gift_cards") == (
        "Cadeaubonnen zijn er nu tot €500."
    )


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        ("en", "are you open on sunday?",
         "On Sunday 6 December: all stores 12:00–17:00."),
        ("nl", "zijn jullie open op zondag?",
         "Op zondag 6 december: alle winkels 12:00–17:00."),
        ("en", "is the shop open on 2nd christmas day",
         "On Saturday 26 December (Boxing Day): all stores 12:00–17:00."),
        ("nl", "zijn jullie open op tweede kerstdag?",
         "Op zaterdag 26 december (tweede kerstdag): alle winkels 12:00–17:00."),
        ("en", "are you open on christmas day?",
         "On Friday 25 December (Christmas Day): all stores closed."),
        ("nl", "zijn jullie open met kerst?",
         "Op vrijdag 25 december (Eerste kerstdag): alle winkels gesloten."),
        ("en", "are you open on monday",
         "On Monday 7 December: Amsterdam 12:00–18:00, Rotterdam closed and Utrecht "
         "12:00–18:00."),
        ("nl", "zijn jullie maandag open",
         "Op maandag 7 december: Amsterdam 12:00–18:00, Rotterdam gesloten en Utrecht "
         "12:00–18:00."),
        ("en", "open on christmas eve?",
         "On Thursday 24 December (Christmas Eve): all stores 10:00–16:00."),
    ],
)
async def test_opening_hours_for_the_day_asked_come_from_the_calendar(
    catalogue: Catalogue, language: str, question: str, expected: str
) -> None:
    reply = await answer(catalogue, language, question, "store_hours")
    first, _, note = reply.partition("\n\n")
    assert first == expected
    stored = await catalogue.faq_answer("store_hours")
    assert stored is not None and note == stored.body(language)


@pytest.mark.parametrize(
    ("language", "question", "expected"),
    [
        ("en", "is the Amsterdam store open on 17 december?",
         "On Thursday 17 December (Christmas late-night shopping) our Amsterdam store is open "
         "from 10:00 to 22:00."),
        ("nl", "is de winkel in Rotterdam open op maandag?",
         "Op maandag 7 december is onze winkel in Rotterdam gesloten."),
    ],
)
async def test_one_store_asked_about(
    catalogue: Catalogue, language: str, question: str, expected: str
) -> None:
    city = "Amsterdam" if "Amsterdam" in question else "Rotterdam"
    reply = await answer(catalogue, language, question, "store_hours", {"city": city})
    assert reply.split("\n\n")[0] == expected


async def test_the_week_with_the_special_days_coming_up(catalogue: Catalogue) -> None:
    reply = await answer(catalogue, "en", "what are your opening hours", "store_hours")
    assert reply.startswith("Our opening hours:\n")
    assert ("Amsterdam (Herengracht 212): Mon 12:00–18:00, Tue–Wed 10:00–18:00, "
            "Thu 10:00–21:00, Fri–Sat 10:00–18:00, Sun 12:00–17:00") in reply
    assert "Rotterdam (Witte de Withstraat 36): Mon closed" in reply
    # 1 December + 14 days: nothing special yet (the late night is on the 17th).
    assert "Coming up" not in reply
    dutch = await answer(catalogue, "nl", "wat zijn jullie openingstijden", "store_hours")
    assert "Rotterdam (Witte de Withstraat 36): ma gesloten, di–do 10:00–18:00" in dutch


async def test_addresses_for_one_city_or_all_and_honest_about_a_city_without_a_store(
    catalogue: Catalogue,
) -> None:
    one = await answer(catalogue, "en", "where is the Utrecht store", "store_addresses",
                       {"city": "Utrecht"})
    assert one.startswith("Our stores:\nUtrecht: Oudegracht 141, 3511 AJ Utrecht,")
    assert "Amsterdam" not in one.split("\n\n")[0]
    none = await answer(catalogue, "nl", "hebben jullie een winkel in Antwerpen",
                        "store_addresses", {"city": "Antwerpen"})
    assert none.startswith(
        "We hebben geen winkel in Antwerpen; onze winkels zitten in Amsterdam, Rotterdam en "
        "Utrecht.\nAmsterdam: Herengracht 212"
    )


@pytest.mark.parametrize(
    ("language", "question", "entities", "expected"),
    [
        ("en", "I'm 1.70 m and usually wear 38, which size for a dress?",
         {"size": "38", "category": "dresses"},
         "With your usual size 38, take M in our dresses. M fits chest 88–92 cm, waist "
         "70–74 cm and hips 96–100 cm. Our dresses are true to size and cut for a height of "
         "1.65–1.75 m. At 1.70 m the length will be as intended."),
        ("nl", "ik ben 1,85 en draag meestal 38, welke maat kleedje?", {},
         "Met je gewone maat 38 neem je M in onze jurken. M past bij borst 88–92 cm, taille "
         "70–74 cm en heupen 96–100 cm. Onze jurken vallen normaal en zijn gemaakt voor een "
         "lengte van 1,65–1,75 m. Met 1,85 m ben je langer dan waarvoor we maken, dus mouwen en "
         "zomen kunnen wat kort uitvallen."),
        ("en", "my waist is 76 cm, which jeans size", {"category": "jeans"},
         "With those measurements, take W30 in our jeans. W30 fits waist 76–78 cm and hips "
         "94–96 cm. Our jeans are sized by waist (W); the inside leg is 32 inches, for "
         "1.65–1.78 m."),
    ],
)
async def test_size_advice_from_the_size_chart(
    catalogue: Catalogue, language: str, question: str, entities: dict[str, str], expected: str
) -> None:
    reply = await answer(catalogue, language, question, "size_advice", entities)
    assert reply.split("\n\n")[0] == expected


async def test_size_advice_asks_what_it_needs_when_nothing_was_said(catalogue: Catalogue) -> None:
    reply = await answer(catalogue, "en", "what size should I take?", "size_advice")
    assert reply.startswith(
        "Tell me the size you usually wear (like 38 or M) or your measurements, and the kind "
        "of item, and I'll tell you which size to take. Our clothes sizes: XS (32–34), S (36), "
        "M (38), L (40), XL (42–44)."
    )


async def test_a_topic_without_an_answer_goes_to_a_colleague(catalogue: Catalogue) -> None:
    tracker = make_tracker(slots={"language": "en"}, latest=parse_data("hm", "faq"))
    messages, events = await run(ActionAnswerFaq(catalogue), tracker)
    assert messages == []
    assert events == [{"event": "followup", "name": ACTION_ESCALATE, "timestamp": None}]


async def test_a_database_that_is_down_gets_the_apology(tmp_path: Path) -> None:
    broken = make_catalogue(f"sqlite+aiosqlite:///{tmp_path}/missing/none.db")
    tracker = make_tracker(slots={"language": "nl"},
                           latest=faq_message("verzendkosten?", "shipping_costs"))
    messages, events = await run(ActionAnswerFaq(broken), tracker)
    await broken.dispose()
    assert [m["response"] for m in messages] == ["utter_catalogue_unavailable"]
    assert events[-1]["name"] == ACTION_ESCALATE


def test_the_topic_comes_from_the_selector_a_button_or_a_payload() -> None:
    assert asked_topic(faq_message("x", "gift_cards")) == "gift_cards"
    button = parse_data("/faq", "faq", entities=[{"entity": "faq_topic", "value": "invoices"}])
    assert asked_topic(button) == "invoices"
    assert asked_topic(parse_data("x", "faq/newsletter")) == "newsletter"
    assert asked_topic(parse_data("x", "faq")) is None
    assert asked_topic(faq_message("x", "no_such_topic")) is None


def test_every_sentence_exists_in_both_languages() -> None:
    for key, languages in TEXTS.items():
        assert set(languages) == {"en", "nl"}, key
        assert all(value.strip() for value in languages.values()), key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("are you open on sunday?", date(2026, 12, 6)),
        ("zijn jullie dinsdag open", TODAY),
        ("zijn jullie morgen open", date(2026, 12, 2)),
        ("is the amsterdam store open now?", TODAY),
        ("zijde gij open op tweede kerstdag", date(2026, 12, 26)),
        ("open on boxing day?", date(2026, 12, 26)),
        ("are you open on new year's day", date(2027, 1, 1)),
        ("oudejaarsdag open?", date(2026, 12, 31)),
        ("open on 24/12?", date(2026, 12, 24)),
        ("zijn jullie 3 januari open", date(2027, 1, 3)),
        ("are you open on december 27th", date(2026, 12, 27)),
        ("open op tweede paasdag?", date(2027, 3, 29)),
        ("is the store open on good friday", date(2027, 3, 26)),
        ("koningsdag open?", date(2027, 4, 27)),
        ("what are your opening hours", None),
    ],
)
def test_the_day_asked_about(text: str, expected: date | None) -> None:
    assert asked_day(text, TODAY) == expected
