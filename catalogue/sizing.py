"""Size advice from the size charts: read what a customer says about their size, pick a size.

"I'm 1.70 m and usually wear 38" -> height 170 cm, usual size 38 -> M on the letter chart,
and whether the category's lengths are cut for that height. Pure functions over loaded charts.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass

from catalogue.models import SizeChart, SizeChartRow
from catalogue.vocabulary import CATEGORIES

LETTER_SIZES = ("XS", "S", "M", "L", "XL")
_SIZE_WORDS = {
    "extra small": "XS", "small": "S", "medium": "M", "large": "L", "extra large": "XL",
}
_HEIGHT_PATTERNS = (
    re.compile(r"\b([12])\s?[.,]\s?(\d{2})\s?(?:m|meter|metre)?\b"),  # 1.70 m, 1,70
    re.compile(r"\b([12])\s?m\s?(\d{2})\b"),  # 1m70
)
_HEIGHT_CM = re.compile(r"\b(1[4-9]\d|20\d)\s?cm\b")
_MEASURE_WORDS = {
    "chest": ("chest", "bust", "borst", "borstomvang", "buste", "boezem"),
    "waist": ("waist", "taille", "tailleomvang", "middel"),
    "hip": ("hip", "hips", "heup", "heupen", "heupomvang"),
    "foot": ("foot", "feet", "voet", "voetlengte"),
}
_MEASURE = re.compile(r"\b(\d{2,3}(?:[.,]\d)?)\s?cm\b")
_LETTER = re.compile(r"(?<![\w-])(XXL|XL|XS|S|M|L)(?![\w-])")
_NUMBER = re.compile(
    r"(?<!\d)(?<!\d[.,])(?:w\s?)?(\d{2})(?!\d|[.,]\d|\s?(?:cm|mm|m\b|%|euro|€|kg))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SizeQuestion:
    """What a customer told about their size: any of these may be missing."""

    height_cm: int | None = None
    usual_size: str | None = None  # "M", "38", "W30"
    chest_cm: int | None = None
    waist_cm: int | None = None
    hip_cm: int | None = None
    foot_mm: int | None = None

    @property
    def empty(self) -> bool:
        """True when nothing usable was said."""
        return not any((self.usual_size, self.chest_cm, self.waist_cm, self.hip_cm,
                        self.foot_mm))


def _height(text: str) -> tuple[int | None, str]:
    """The body height in cm and the text with it taken out (so 1.70 is no size 70)."""
    for pattern in _HEIGHT_PATTERNS:
        match = pattern.search(text)
        if match and match.group(1) == "1":
            return 100 + int(match.group(2)), text[: match.start()] + " " + text[match.end():]
    match = _HEIGHT_CM.search(text)
    if match and not _near_measure_word(text, match.start(), match.end()):
        return int(match.group(1)), text[: match.start()] + " " + text[match.end():]
    return None, text


def _near_measure_word(text: str, start: int, end: int) -> str | None:
    window = text[max(0, start - 25): end + 25].lower()
    for kind, words in _MEASURE_WORDS.items():
        if any(re.search(rf"\b{word}", window) for word in words):
            return kind
    return None


def read_size_question(text: str) -> SizeQuestion:
    """Height, usual size and body measurements from a customer's message."""
    height, rest = _height(text)
    measures: dict[str, int] = {}
    for match in _MEASURE.finditer(rest):
        kind = _near_measure_word(rest, match.start(), match.end())
        if kind and kind not in measures:
            value = float(match.group(1).replace(",", "."))
            measures[kind] = round(value * 10) if kind == "foot" else round(value)
    without_measures = _MEASURE.sub(" ", rest)
    usual: str | None = None
    lowered = without_measures.lower()
    for words, letter in sorted(_SIZE_WORDS.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{words}\b", lowered):
            usual = letter
            break
    if usual is None:
        letter_match = _LETTER.search(without_measures)
        if letter_match and letter_match.group(1) != "XXL":
            usual = letter_match.group(1)
    if usual is None:
        for match in _NUMBER.finditer(without_measures):
            number = int(match.group(1))
            if 24 <= number <= 50:
                usual = ("W" if match.group(0).lower().startswith("w") else "") + str(number)
                break
    return SizeQuestion(
        height_cm=height,
        usual_size=usual,
        chest_cm=measures.get("chest"),
        waist_cm=measures.get("waist"),
        hip_cm=measures.get("hip"),
        foot_mm=measures.get("foot"),
    )


def category_in(text: str) -> str | None:
    """The product category a message names ("kleedje", "jeans"), if any."""
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    for key, term in CATEGORIES.items():
        if any(word in term.words for word in words):
            return key
    for key, term in CATEGORIES.items():
        if any(word.startswith(tuple(term.words)) for word in words):
            return key
    return None


class Basis(enum.StrEnum):
    """What the advised size was chosen from."""

    USUAL_SIZE = "usual_size"
    MEASUREMENTS = "measurements"


class LengthFit(enum.StrEnum):
    """How the category's lengths suit the customer's height."""

    AS_DESIGNED = "as_designed"
    SHORTER = "shorter"  # the customer is taller than the cut: lengths come out short
    LONGER = "longer"  # the customer is shorter: lengths come out long


@dataclass(frozen=True)
class SizeAdvice:
    """The advised size (None when nothing said points to one) and how it was found."""

    chart: SizeChart
    row: SizeChartRow | None
    basis: Basis | None
    length: LengthFit | None


def _within(value: int | None, low: int | None, high: int | None) -> bool:
    return value is not None and low is not None and high is not None and low <= value <= high


def _by_usual_size(rows: Sequence[SizeChartRow], usual: str) -> SizeChartRow | None:
    by_name = {row.size.upper(): row for row in rows}
    wanted = usual.upper()
    if wanted.startswith("W") and wanted[1:].isdigit():
        return by_name.get(wanted[1:])
    if not wanted.isdigit():
        # A letter size: found on letter charts, not on waist or shoe charts.
        return by_name.get(wanted)
    number = int(wanted)
    has_eu = any(row.eu_min is not None for row in rows)
    # On a waist chart a small number is the waist size (30 = W30); from 34 up, a number
    # reads as the European size people know from dresses (38 = W30).
    if wanted in by_name and (not has_eu or number < 34):
        return by_name[wanted]
    for row in rows:
        if _within(number, row.eu_min, row.eu_max):
            return row
    return by_name.get(wanted)


def _by_measurements(rows: Sequence[SizeChartRow], question: SizeQuestion) -> SizeChartRow | None:
    # The largest size any one measurement needs: a garment must fit everywhere.
    chosen: SizeChartRow | None = None
    for row in rows:
        fits = (
            _within(question.chest_cm, row.chest_min, row.chest_max)
            or _within(question.waist_cm, row.waist_min, row.waist_max)
            or _within(question.hip_cm, row.hip_min, row.hip_max)
            or (question.foot_mm is not None and row.foot_mm is not None
                and question.foot_mm <= row.foot_mm and chosen is None)
        )
        if fits:
            chosen = row
    return chosen


def advise(chart: SizeChart, question: SizeQuestion) -> SizeAdvice:
    """The size to take on `chart` (its rows loaded) for what the customer told."""
    rows = list(chart.rows)
    row: SizeChartRow | None = None
    basis: Basis | None = None
    if question.chest_cm or question.waist_cm or question.hip_cm or question.foot_mm:
        row = _by_measurements(rows, question)
        basis = Basis.MEASUREMENTS if row else None
    if row is None and question.usual_size:
        row = _by_usual_size(rows, question.usual_size)
        basis = Basis.USUAL_SIZE if row else None
    length: LengthFit | None = None
    if question.height_cm and chart.height_min_cm and chart.height_max_cm:
        if question.height_cm > chart.height_max_cm:
            length = LengthFit.SHORTER
        elif question.height_cm < chart.height_min_cm:
            length = LengthFit.LONGER
        else:
            length = LengthFit.AS_DESIGNED
    return SizeAdvice(chart=chart, row=row, basis=basis, length=length)
