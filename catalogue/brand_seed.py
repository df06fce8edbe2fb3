"""Seeding the brand's own data: FAQ answers, stores with their hours, size charts.

Reads `seed_data/answers.yml`, `stores.yml` and `size_charts.yml`. Like the rest of the seed it
only adds what is missing: an answer a trainer edited is never overwritten, and a store,
special day or size chart that exists is left as it is. Yearly special days ("12-24") are
written out for this year and the next, so a later seeding keeps the coming ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from catalogue.models import (
    FaqAnswer,
    FaqAnswerVersion,
    SizeChart,
    SizeChartRow,
    Store,
    StoreHours,
    StoreSpecialDay,
)

SEED_DATA = Path(__file__).resolve().parent / "seed_data"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEEDED_BY = "seed"


def _read(path: Path) -> dict[str, Any]:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return dict(data or {})


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def _span(value: Any) -> tuple[int | None, int | None]:
    if value is None:
        return None, None
    low, high = value
    return int(low), int(high)


@dataclass
class BrandSeedReport:
    """How many brand rows a seed run added."""

    answers: int = 0
    stores: int = 0
    special_days: int = 0
    size_charts: int = 0

    @property
    def added(self) -> bool:
        """True when the run added answers, stores or charts (a new year's special days are
        the calendar moving along, like the demo's dates)."""
        return any((self.answers, self.stores, self.size_charts))


def answer_specs(folder: Path = SEED_DATA) -> dict[str, Mapping[str, Any]]:
    """The seeded answers by topic."""
    return dict(_read(folder / "answers.yml")["answers"])


def _special_days(raw: Mapping[str, Any], today: date) -> list[date | None]:
    if "holiday" in raw:
        return [None]
    value = str(raw["date"])
    if value.count("-") == 2:
        return [date.fromisoformat(value)]
    month, day = (int(part) for part in value.split("-"))
    return [date(year, month, day) for year in (today.year, today.year + 1)]


async def seed_brand(
    session: AsyncSession, today: date, now: datetime, folder: Path = SEED_DATA
) -> BrandSeedReport:
    """Add the missing answers, stores, special days and size charts."""
    report = BrandSeedReport()
    await _seed_answers(session, now, folder, report)
    await _seed_stores(session, today, folder, report)
    await _seed_size_charts(session, folder, report)
    await session.flush()
    return report


async def _seed_answers(
    session: AsyncSession, now: datetime, folder: Path, report: BrandSeedReport
) -> None:
    present = set(await session.scalars(select(FaqAnswer.topic)))
    for topic, spec in answer_specs(folder).items():
        if topic in present:
            continue
        body_en, body_nl = str(spec["en"]).strip(), str(spec["nl"]).strip()
        session.add(FaqAnswer(
            topic=topic, title_en=spec["title"]["en"], title_nl=spec["title"]["nl"],
            body_en=body_en, body_nl=body_nl, version=1, updated_at=now, updated_by=SEEDED_BY,
        ))
        session.add(FaqAnswerVersion(
            topic=topic, version=1, body_en=body_en, body_nl=body_nl, changed_at=now,
            changed_by=SEEDED_BY, note=None,
        ))
        report.answers += 1
    await session.flush()


async def _seed_stores(
    session: AsyncSession, today: date, folder: Path, report: BrandSeedReport
) -> None:
    data = _read(folder / "stores.yml")
    stores = {store.slug: store for store in await session.scalars(select(Store))}
    for spec in data["stores"]:
        if spec["slug"] in stores:
            continue
        store = Store(slug=spec["slug"], city=spec["city"], street=spec["street"],
                      postcode=str(spec["postcode"]), phone=str(spec["phone"]))
        session.add(store)
        await session.flush()
        for weekday, name in enumerate(WEEKDAYS):
            if name in spec["hours"]:
                opens, closes = spec["hours"][name]
                session.add(StoreHours(store_id=store.id, weekday=weekday,
                                       opens=_clock(opens), closes=_clock(closes)))
        stores[store.slug] = store
        report.stores += 1
    existing = {
        (rule.store_id, rule.day, rule.holiday)
        for rule in await session.scalars(select(StoreSpecialDay))
    }
    for raw in data.get("special_days") or []:
        store_id = stores[raw["store"]].id if raw.get("store") else None
        hours = raw.get("hours")
        for day in _special_days(raw, today):
            key = (store_id, day, raw.get("holiday"))
            if key in existing:
                continue
            session.add(StoreSpecialDay(
                store_id=store_id, day=day, holiday=raw.get("holiday"),
                opens=_clock(hours[0]) if hours else None,
                closes=_clock(hours[1]) if hours else None,
                note_en=(raw.get("note") or {}).get("en"),
                note_nl=(raw.get("note") or {}).get("nl"),
            ))
            existing.add(key)
            report.special_days += 1


async def _seed_size_charts(session: AsyncSession, folder: Path, report: BrandSeedReport) -> None:
    data = _read(folder / "size_charts.yml")
    present = set(await session.scalars(select(SizeChart.category)))
    for category, spec in data["categories"].items():
        if category in present:
            continue
        height_min, height_max = _span(spec.get("height"))
        chart = SizeChart(category=category, height_min_cm=height_min, height_max_cm=height_max,
                          fit_en=spec["fit"]["en"], fit_nl=spec["fit"]["nl"])
        session.add(chart)
        await session.flush()
        for position, row in enumerate(data["charts"][spec["chart"]]):
            eu_min, eu_max = _span(row.get("eu"))
            chest_min, chest_max = _span(row.get("chest"))
            waist_min, waist_max = _span(row.get("waist"))
            hip_min, hip_max = _span(row.get("hip"))
            session.add(SizeChartRow(
                chart_id=chart.id, position=position, size=str(row["size"]),
                eu_min=eu_min, eu_max=eu_max, chest_min=chest_min, chest_max=chest_max,
                waist_min=waist_min, waist_max=waist_max, hip_min=hip_min, hip_max=hip_max,
                foot_mm=row.get("foot_mm"),
            ))
        report.size_charts += 1
