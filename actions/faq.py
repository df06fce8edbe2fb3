"""General shop questions (retrieval intent `faq/<topic>`) answered from the brand's data.

The answer text per topic and language lives in the catalogue table `faq_answers`, which
trainers edit on the trainer page; it is read on every question, so an edit is live at once,
without retraining. Three topics first answer from data and then add that text as a note:
opening hours (the stores' weeks, public holidays and special days, for the day asked),
addresses, and size advice (the category's size chart and what the customer said).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, time, timedelta
from typing import Any

from babel.dates import format_date
from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.asked_day import asked_day
from actions.catalogue_access import CatalogueAction, latest_entity, latest_text, slot_text
from actions.domain_names import (
    ACTION_ANSWER_FAQ,
    ACTION_ESCALATE,
    DUTCH,
    ENGLISH,
    ENTITY_FAQ_TOPIC,
    FAQ_SIZE_ADVICE,
    FAQ_STORE_ADDRESSES,
    FAQ_STORE_HOURS,
    FAQ_TOPICS,
    INTENT_FAQ,
    SLOT_CATEGORY,
)
from actions.localised_formats import format_day, format_list
from catalogue.models import SizeChart, Store, StoreSpecialDay
from catalogue.return_policy import local_date
from catalogue.sizing import Basis, SizeAdvice, advise, category_in, read_size_question
from catalogue.store_calendar import DayHours, holiday_label, hours_on
from catalogue.vocabulary import category_label

# Special days announced with the weekly hours when they fall this soon.
UPCOMING_DAYS = 14
# Without a category, size advice reads the letter chart of this one (most of the range).
DEFAULT_SIZE_CATEGORY = "dresses"

# Sentences around the data, one per language (a test checks both exist for every key).
TEXTS: Mapping[str, Mapping[str, str]] = {
    "week_intro": {ENGLISH: "Our opening hours:", DUTCH: "Onze openingstijden:"},
    "week_store": {ENGLISH: "{city} ({street}): {hours}", DUTCH: "{city} ({street}): {hours}"},
    "upcoming": {ENGLISH: "Coming up: {days}.", DUTCH: "Binnenkort anders: {days}."},
    "day_all": {ENGLISH: "On {day}{why}: {stores}.", DUTCH: "Op {day}{why}: {stores}."},
    "day_open": {ENGLISH: "{city} {opens}–{closes}", DUTCH: "{city} {opens}–{closes}"},
    "day_closed": {ENGLISH: "{city} closed", DUTCH: "{city} gesloten"},
    "one_open": {
        ENGLISH: "On {day}{why} our {city} store is open from {opens} to {closes}.",
        DUTCH: "Op {day}{why} is onze winkel in {city} open van {opens} tot {closes}.",
    },
    "one_closed": {
        ENGLISH: "On {day}{why} our {city} store is closed.",
        DUTCH: "Op {day}{why} is onze winkel in {city} gesloten.",
    },
    "all_closed": {ENGLISH: "all stores closed", DUTCH: "alle winkels gesloten"},
    "all_open": {ENGLISH: "all stores {opens}–{closes}", DUTCH: "alle winkels {opens}–{closes}"},
    "no_store": {
        ENGLISH: "We don't have a store in {city}; our stores are in {cities}.",
        DUTCH: "We hebben geen winkel in {city}; onze winkels zitten in {cities}.",
    },
    "addresses_intro": {ENGLISH: "Our stores:", DUTCH: "Onze winkels:"},
    "address": {
        ENGLISH: "{city}: {street}, {postcode} {city}, {phone}",
        DUTCH: "{city}: {street}, {postcode} {city}, {phone}",
    },
    "size_usual": {
        ENGLISH: "With your usual size {usual}, take {size} in our {category}.",
        DUTCH: "Met je gewone maat {usual} neem je {size} in onze {category}.",
    },
    "size_measured": {
        ENGLISH: "With those measurements, take {size} in our {category}.",
        DUTCH: "Met die maten neem je {size} in onze {category}.",
    },
    "size_rows": {ENGLISH: "{size} fits {measures}.", DUTCH: "{size} past bij {measures}."},
    "size_ask": {
        ENGLISH: "Tell me the size you usually wear (like 38 or M) or your measurements, and "
                 "the kind of item, and I'll tell you which size to take. Our {category} "
                 "sizes: {sizes}.",
        DUTCH: "Vertel me welke maat je meestal draagt (bijvoorbeeld 38 of M) of je maten, en "
               "wat voor kledingstuk, dan zeg ik welke maat je neemt. Maten van onze "
               "{category}: {sizes}.",
    },
    "length_as_designed": {
        ENGLISH: "At {height} m the length will be as intended.",
        DUTCH: "Met {height} m valt de lengte zoals bedoeld.",
    },
    "length_shorter": {
        ENGLISH: "At {height} m you're taller than we cut for, so sleeves and hems may come "
                 "out a little short.",
        DUTCH: "Met {height} m ben je langer dan waarvoor we maken, dus mouwen en zomen "
               "kunnen wat kort uitvallen.",
    },
    "length_longer": {
        ENGLISH: "At {height} m sleeves and hems may come out a little long.",
        DUTCH: "Met {height} m kunnen mouwen en zomen wat lang uitvallen.",
    },
    "chest": {ENGLISH: "chest {low}–{high} cm", DUTCH: "borst {low}–{high} cm"},
    "waist": {ENGLISH: "waist {low}–{high} cm", DUTCH: "taille {low}–{high} cm"},
    "hip": {ENGLISH: "hips {low}–{high} cm", DUTCH: "heupen {low}–{high} cm"},
    "foot": {ENGLISH: "a foot of up to {mm} cm", DUTCH: "een voet tot {mm} cm"},
    "clothes": {ENGLISH: "clothes", DUTCH: "kleding"},
}
_BABEL = {DUTCH: "nl_NL", ENGLISH: "en_GB"}


def text(key: str, language: str, **values: Any) -> str:
    """One of the sentences above in the conversation language, filled in."""
    return TEXTS[key][language].format(**values)


def asked_topic(latest: Mapping[str, Any]) -> str | None:
    """The FAQ topic of the latest message: the ResponseSelector's, a button's, or a payload's."""
    selector = (latest.get("response_selector") or {}).get(INTENT_FAQ) or {}
    key = str(((selector.get("response") or {}).get("intent_response_key")) or "")
    candidates = [key]
    for entity in latest.get("entities") or []:
        if entity.get("entity") == ENTITY_FAQ_TOPIC:
            candidates.append(str(entity.get("value") or ""))
    candidates.append(str((latest.get("intent") or {}).get("name") or ""))
    for candidate in candidates:
        topic = candidate.removeprefix(f"{INTENT_FAQ}/")
        if topic in FAQ_TOPICS:
            return topic
    return None


def _clock(value: time) -> str:
    return value.strftime("%H:%M")


def _weekday(day_number: int, language: str) -> str:
    # 2024-01-01 was a Monday.
    return format_date(date(2024, 1, 1 + day_number), "EEE", locale=_BABEL[language]).rstrip(".")


def weekly_hours(store: Store, language: str) -> str:
    """ "Mon 12:00–18:00, Tue–Wed 10:00–18:00, ..." with equal neighbouring days joined."""
    by_day = {hours.weekday: (hours.opens, hours.closes) for hours in store.hours}
    groups: list[tuple[int, int, tuple[time, time] | None]] = []
    for day in range(7):
        span = by_day.get(day)
        if groups and groups[-1][2] == span:
            groups[-1] = (groups[-1][0], day, span)
        else:
            groups.append((day, day, span))
    parts = []
    for first, last, span in groups:
        days = _weekday(first, language)
        if last != first:
            days += f"–{_weekday(last, language)}"
        hours = f"{_clock(span[0])}–{_clock(span[1])}" if span else (
            "gesloten" if language == DUTCH else "closed")
        parts.append(f"{days} {hours}")
    return ", ".join(parts)


def _why(hours: Sequence[DayHours], day: date, language: str) -> str:
    for found in hours:
        # A note of one store's rule only when that store is the one asked about.
        if found.special is not None and (len(hours) == 1 or found.special.store_id is None):
            note = found.special.note_nl if language == DUTCH else found.special.note_en
            if note:
                return f" ({note})"
    label = holiday_label(day, language)
    return f" ({label})" if label else ""


def day_answer(stores: Sequence[Store], day: date, rules: Sequence[StoreSpecialDay],
               language: str) -> str:
    """The hours of the given stores on one day, with why the day is special."""
    hours = [hours_on(store, day, rules) for store in stores]
    values = {"day": format_day(day, language), "why": _why(hours, day, language)}
    if len(stores) == 1:
        found = hours[0]
        if found.closed or found.opens is None or found.closes is None:
            return text("one_closed", language, city=stores[0].city, **values)
        return text("one_open", language, city=stores[0].city, opens=_clock(found.opens),
                    closes=_clock(found.closes), **values)
    spans = {(found.opens, found.closes) for found in hours}
    if len(spans) == 1:
        opens, closes = next(iter(spans))
        listed = (text("all_closed", language) if opens is None or closes is None
                  else text("all_open", language, opens=_clock(opens), closes=_clock(closes)))
    else:
        listed = format_list([
            text("day_closed", language, city=store.city)
            if found.opens is None or found.closes is None
            else text("day_open", language, city=store.city, opens=_clock(found.opens),
                      closes=_clock(found.closes))
            for store, found in zip(stores, hours, strict=True)
        ], language)
    return text("day_all", language, stores=listed, **values)


def week_answer(stores: Sequence[Store], today: date, rules: Sequence[StoreSpecialDay],
                language: str) -> str:
    """Every store's week, then the special days coming up soon."""
    lines = [text("week_intro", language)]
    for store in stores:
        lines.append(text("week_store", language, city=store.city, street=store.street,
                          hours=weekly_hours(store, language)))
    coming = []
    for offset in range(UPCOMING_DAYS):
        day = today + timedelta(days=offset)
        hours = [hours_on(store, day, rules) for store in stores]
        if any(found.special is not None or found.holiday is not None for found in hours):
            sentence = day_answer(stores, day, rules, language)
            coming.append(sentence.removeprefix("On ").removeprefix("Op ").rstrip("."))
    if coming:
        lines.append(text("upcoming", language, days="; ".join(coming)))
    return "\n".join(lines)


def _measures(chart: SizeChart, size: str, language: str) -> str | None:
    for row in chart.rows:
        if row.size != size:
            continue
        parts = []
        for key, low, high in (("chest", row.chest_min, row.chest_max),
                               ("waist", row.waist_min, row.waist_max),
                               ("hip", row.hip_min, row.hip_max)):
            if low is not None and high is not None:
                parts.append(text(key, language, low=low, high=high))
        if row.foot_mm is not None:
            length = f"{row.foot_mm / 10:.1f}"
            parts.append(text("foot", language,
                              mm=length.replace(".", ",") if language == DUTCH else length))
        return format_list(parts, language) if parts else None
    return None


def _size_list(chart: SizeChart) -> str:
    sizes = []
    for row in chart.rows:
        if row.eu_min is not None and row.eu_max is not None and not row.size.isdigit():
            eu = str(row.eu_min) if row.eu_min == row.eu_max else f"{row.eu_min}–{row.eu_max}"
            sizes.append(f"{row.size} ({eu})")
        elif row.eu_min is not None:
            sizes.append(f"W{row.size}")
        else:
            sizes.append(row.size)
    return ", ".join(sizes)


def size_answer(advice: SizeAdvice, usual: str | None, height_cm: int | None,
                category: str | None, language: str) -> str:
    """The advised size with its measurements and the length note, or what to tell us."""
    chart = advice.chart
    label = category_label(category, language) if category else text("clothes", language)
    lines: list[str] = []
    if advice.row is None:
        lines.append(text("size_ask", language, category=label, sizes=_size_list(chart)))
    else:
        size = advice.row.size if not (advice.row.size.isdigit() and advice.row.eu_min) else (
            f"W{advice.row.size}")
        key = "size_usual" if advice.basis is Basis.USUAL_SIZE else "size_measured"
        lines.append(text(key, language, usual=usual, size=size, category=label))
        measures = _measures(chart, advice.row.size, language)
        if measures:
            lines.append(text("size_rows", language, size=size, measures=measures))
    if category:
        lines.append(chart.fit(language))
    if advice.length is not None and height_cm and category:
        height = f"{height_cm / 100:.2f}"
        lines.append(text(f"length_{advice.length.value}", language,
                          height=height.replace(".", ",") if language == DUTCH else height))
    return " ".join(lines)


class ActionAnswerFaq(CatalogueAction):
    """Answers a general shop question with the brand's current answer for its topic."""

    def name(self) -> str:
        """Name in domain.yml."""
        return ACTION_ANSWER_FAQ

    async def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, language: str
    ) -> list[EventType]:
        """The data part (hours, addresses, size) if the topic has one, then the answer."""
        topic = asked_topic(tracker.latest_message or {})
        if topic is None:
            return [FollowupAction(ACTION_ESCALATE)]
        answer = await self.catalogue.faq_answer(topic)
        if answer is None:
            # A topic the model knows but nobody wrote an answer for yet: a colleague answers.
            return [FollowupAction(ACTION_ESCALATE)]
        message = latest_text(tracker)
        data_part: str | None = None
        if topic in (FAQ_STORE_HOURS, FAQ_STORE_ADDRESSES):
            data_part = await self._stores_part(topic, tracker, message, language)
        elif topic == FAQ_SIZE_ADVICE:
            data_part = await self._size_part(tracker, message, language)
        body = answer.body(language)
        dispatcher.utter_message(text=f"{data_part}\n\n{body}" if data_part else body)
        return []

    async def _stores_part(
        self, topic: str, tracker: Tracker, message: str, language: str
    ) -> str:
        stores = await self.catalogue.stores()
        asked_city = latest_entity(tracker, "city")
        chosen = [store for store in stores
                  if (asked_city and store.city.lower() == asked_city.lower())
                  or (not asked_city and store.city.lower() in message.lower())]
        lines: list[str] = []
        if asked_city and not chosen:
            lines.append(text("no_store", language, city=asked_city,
                              cities=format_list([store.city for store in stores], language)))
        shown = chosen or stores
        if topic == FAQ_STORE_ADDRESSES:
            if not lines:
                lines.append(text("addresses_intro", language))
            lines.extend(text("address", language, city=store.city, street=store.street,
                              postcode=store.postcode, phone=store.phone) for store in shown)
            return "\n".join(lines)
        today = local_date(self.catalogue.now())
        day = asked_day(message, today)
        last = (day or today) + timedelta(days=UPCOMING_DAYS)
        rules = await self.catalogue.special_days(min(day or today, today), last)
        if day is not None:
            lines.append(day_answer(shown, day, rules, language))
        else:
            lines.append(week_answer(shown, today, rules, language))
        return "\n".join(lines)

    async def _size_part(self, tracker: Tracker, message: str, language: str) -> str | None:
        category = (latest_entity(tracker, "category") or category_in(message)
                    or slot_text(tracker, SLOT_CATEGORY))
        chart = await self.catalogue.size_chart(category or DEFAULT_SIZE_CATEGORY)
        if chart is None:
            chart = await self.catalogue.size_chart(DEFAULT_SIZE_CATEGORY)
            category = None
        if chart is None:
            return None
        question = read_size_question(message)
        advice = advise(chart, question)
        return size_answer(advice, question.usual_size, question.height_cm, category, language)
