"""The brand's own data: answers, stores and their calendar, size charts; seeded once."""

from __future__ import annotations

import re
from datetime import date, time

from sqlalchemy import select, update

from actions.domain_names import FAQ_TOPICS
from catalogue.brand_seed import answer_specs
from catalogue.models import FaqAnswer, FaqAnswerVersion, StoreSpecialDay
from catalogue.repository import Catalogue
from catalogue.return_policy import REFUND_BUSINESS_DAYS, RETURN_WINDOW_DAYS
from catalogue.seed import seed
from catalogue.sizing import Basis, LengthFit, advise, read_size_question
from catalogue.store_calendar import hours_on, public_holiday
from tests.catalogue.factories import NOW


def test_every_faq_topic_has_a_seeded_answer_in_both_languages() -> None:
    specs = answer_specs()
    assert set(specs) == set(FAQ_TOPICS)
    for topic, spec in specs.items():
        assert str(spec["en"]).strip() and str(spec["nl"]).strip(), topic
        assert spec["title"]["en"] and spec["title"]["nl"], topic


def test_the_answers_state_the_same_numbers_as_the_return_policy() -> None:
    specs = answer_specs()
    assert f"within {REFUND_BUSINESS_DAYS} business days" in specs["refund_time"]["en"]
    assert f"binnen {REFUND_BUSINESS_DAYS} werkdagen" in specs["refund_time"]["nl"]
    for language, word in (("en", "days"), ("nl", "dagen")):
        assert re.search(rf"\b{RETURN_WINDOW_DAYS} {word}\b", specs["exchanges"][language])


async def test_seeding_adds_the_brand_data_once_and_never_overwrites_an_edit(
    seeded: Catalogue,
) -> None:
    answer = await seeded.faq_answer("gift_cards")
    assert answer is not None and (answer.version, answer.updated_by) == (1, "seed")
    async with seeded.sessions() as session, session.begin():
        await session.execute(update(FaqAnswer).where(FaqAnswer.topic == "gift_cards")
                              .values(body_en="Edited.", version=2, updated_by="t@linde.test"))
    await seed(seeded.sessions, NOW)
    again = await seeded.faq_answer("gift_cards")
    assert again is not None and (again.body_en, again.version) == ("Edited.", 2)
    async with seeded.sessions() as session:
        versions = list(await session.scalars(
            select(FaqAnswerVersion.version).where(FaqAnswerVersion.topic == "gift_cards")))
        specials = list(await session.scalars(select(StoreSpecialDay)))
    assert versions == [1]
    # Yearly days are written out for this year and the next, once each.
    eves = sorted(rule.day for rule in specials if rule.note_en == "Christmas Eve" and rule.day)
    assert eves == [date(2026, 12, 24), date(2027, 12, 24)]
    assert len(await seeded.stores()) == 3


async def test_a_store_day_follows_dates_then_holidays_then_the_week(seeded: Catalogue) -> None:
    stores = {store.city: store for store in await seeded.stores()}
    rules = await seeded.special_days(date(2026, 12, 1), date(2027, 12, 31))
    amsterdam, rotterdam = stores["Amsterdam"], stores["Rotterdam"]
    # A dated rule for one store beats the week (Thursday late night in December).
    late = hours_on(amsterdam, date(2026, 12, 17), rules)
    assert (late.opens, late.closes) == (time(10), time(22))
    assert hours_on(rotterdam, date(2026, 12, 17), rules).closes == time(18)
    # A holiday rule for every store, on a Saturday.
    boxing = hours_on(rotterdam, date(2026, 12, 26), rules)
    assert (boxing.opens, boxing.closes, boxing.holiday) == (
        time(12), time(17), "Second Day of Christmas")
    # A public holiday without a rule is closed; Easter Monday moves with Easter.
    assert public_holiday(date(2026, 12, 25)) == "Christmas Day"
    assert hours_on(amsterdam, date(2026, 12, 25), rules).closed
    assert hours_on(amsterdam, date(2027, 3, 29), rules).opens == time(12)
    # An ordinary Monday: the week; Rotterdam has no Monday hours.
    assert hours_on(amsterdam, date(2026, 12, 7), rules).opens == time(12)
    assert hours_on(rotterdam, date(2026, 12, 7), rules).closed


async def test_size_advice_from_the_charts(seeded: Catalogue) -> None:
    dresses = await seeded.size_chart("dresses")
    jeans = await seeded.size_chart("jeans")
    shoes = await seeded.size_chart("shoes")
    assert dresses is not None and jeans is not None and shoes is not None

    def size(chart_question: tuple[object, str]) -> str | None:
        chart, text = chart_question
        advice = advise(chart, read_size_question(text))  # type: ignore[arg-type]
        return advice.row.size if advice.row else None

    assert size((dresses, "I'm 1.70 m and usually wear 38")) == "M"
    assert size((dresses, "ik draag meestal een small")) == "S"
    assert size((dresses, "normaal draag ik 44")) == "XL"
    assert size((dresses, "chest 95 cm, waist 72 cm")) == "L"  # the larger size wins
    assert size((jeans, "I wear W31")) == "31"
    assert size((jeans, "usually 38 in dresses")) == "30"
    assert size((jeans, "my waist is 83 cm")) == "32"
    assert size((shoes, "I take a 39")) == "39"
    assert size((shoes, "my foot is 24,5 cm")) == "39"
    assert size((dresses, "which size?")) is None
    tall = advise(dresses, read_size_question("I'm 1.85 and wear M"))
    assert (tall.basis, tall.length) == (Basis.USUAL_SIZE, LengthFit.SHORTER)
    small = advise(dresses, read_size_question("ik ben 1m58, maat 36"))
    assert small.length is LengthFit.LONGER
