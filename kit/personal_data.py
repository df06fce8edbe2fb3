"""Personal data in free text: find it, and mask it where staff do not need to see it.

One detector for every runtime that shows or stores customer text (the inbox masks what staff
see by default, the training worker refuses examples that contain any). Pure functions only.

Recognised: e-mail addresses, phone numbers (Dutch, Belgian and international forms), IBANs
(checksum verified), Dutch postcodes ("1012 AB"), Belgian postcodes when something says so
("postcode 2000", "B-2000"), the brand's order, return and event confirmation numbers, and
parcel tracking codes. Prices, sizes, dates, times and years are left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["email", "phone", "iban", "postcode", "order_number", "tracking_code"]
KINDS: tuple[Kind, ...] = ("email", "phone", "iban", "postcode", "order_number", "tracking_code")

# What a masked value becomes: the kind stays readable, the value does not.
PLACEHOLDERS: dict[Kind, str] = {
    "email": "[email]",
    "phone": "[phone]",
    "iban": "[iban]",
    "postcode": "[postcode]",
    "order_number": "[order]",
    "tracking_code": "[tracking]",
}

# A placeholder `mask` left in a text ("[email]"), not followed by entity markup.
PLACEHOLDER = re.compile(
    r"\[(?:" + "|".join(re.escape(p[1:-1]) for p in PLACEHOLDERS.values()) + r")\](?!\()"
)

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# Letters then digits and letters, spaced in blocks of four or not; the checksum decides.
IBAN = re.compile(r"(?<![\w])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){10,30}(?![\w])")
# Parcel codes: PostNL (3S...), DHL (JVGL..., JJD...), UPS (1Z...), the UPU form (RR123456789NL).
TRACKING = re.compile(
    r"(?<![\w])(?:3S[A-Z0-9]{8,25}|JVGL\d{8,25}|JJD\d{8,25}|1Z[A-Z0-9]{16}|[A-Z]{2}\d{9}[A-Z]{2})"
    r"(?![\w])",
    re.IGNORECASE,
)
# Order numbers are six digits (100234), returns R100234-1, event confirmations EV-7KQ2MX.
ORDER = re.compile(
    r"(?<![\w-])(?:R\d{6}-\d{1,3}|EV-[A-Z2-9]{6}|\d{6})(?![\w]|[.,]\d)", re.IGNORECASE
)
# A phone number starts with +, 00 or 0 and has 9 to 15 digits, in the separators people type.
# One separator at most between digits, so two numbers in a row stay two numbers.
PHONE = re.compile(r"(?<![\w+(])\(?(?:\+\d|0)(?:[ \-./]?\(?\d\)?){8,14}(?!\w)")
PHONE_DIGITS = (9, 15)
# 1234 AB; the letters SA, SD and SS are never used. Letters that are a short word
# ("2000 en", "1500 in") or a unit are not a postcode.
NL_POSTCODE = re.compile(r"(?<![\w])([1-9]\d{3}) ?([A-Za-z]{2})(?![\w])")
_NOT_POSTCODE_LETTERS = {
    "sa", "sd", "ss", "en", "in", "op", "of", "is", "er", "te", "de", "je", "ik", "we", "ze",
    "at", "to", "on", "or", "an", "as", "am", "pm", "by", "it", "my", "me", "he", "be", "do",
    "so", "no", "up", "us", "eu", "cm", "mm", "km", "kg", "gr", "ml", "cl", "xl", "xs", "st",
    "nd", "rd", "th", "uk", "nl",
}
# Belgian postcodes are four digits like any number: only taken when the text says so.
BE_POSTCODE = re.compile(
    r"(?:(?<![\w])B(?:E)?-(\d{4}))|(?:(?:post ?code|postal code|zip(?: ?code)?|code postal)"
    r"(?: is| was|:)?\s*([1-9]\d{3}))(?![\w])",
    re.IGNORECASE,
)
# Spans that look like numbers people mean as such: never personal data.
_SAFE = re.compile(
    r"(?:€|eur\b|euro\b)\s?\d[\d.,]*"  # € 79,95, EUR 1.299,00
    r"|\d[\d.,]*\s?(?:€|euro\b|eur\b)"  # 79,95 euro
    r"|\b\d{1,2}([-/.])\d{1,2}\1\d{4}\b|\b\d{1,2}([-/])\d{1,2}\2\d{2}\b"  # 12-03-2025, 1/3/25
    r"|\b\d{4}-\d{2}-\d{2}\b"  # 2025-03-12
    r"|(?<![\d./-])\d{1,2}[:.]\d{2}(?![\d.:/-])",  # 14:30, 9.30 uur
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Finding:
    """One piece of personal data: what it is and where it stands in the text."""

    kind: Kind
    start: int
    end: int
    value: str


def _iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    moved = compact[4:] + compact[:4]
    digits = "".join(str(int(char, 36)) for char in moved)
    return int(digits) % 97 == 1


def _phone_ok(value: str) -> bool:
    digits = re.sub(r"\D", "", value)
    if not PHONE_DIGITS[0] <= len(digits) <= PHONE_DIGITS[1]:
        return False
    # A bracket must be closed; "(" alone is the end of a sentence, not a phone number.
    return value.count("(") == value.count(")")


def find_personal_data(text: str) -> list[Finding]:
    """Every piece of personal data in `text`, in order, never overlapping."""
    taken = [False] * len(text)
    found: list[Finding] = []

    def free(start: int, end: int) -> bool:
        return not any(taken[start:end])

    def take(kind: Kind, start: int, end: int) -> None:
        for i in range(start, end):
            taken[i] = True
        found.append(Finding(kind, start, end, text[start:end]))

    for match in EMAIL.finditer(text):
        take("email", match.start(), match.end())
    for match in IBAN.finditer(text):
        # The pattern may run on into the next word: the longest valid IBAN wins.
        for end in range(match.end(), match.start() + 14, -1):
            if text[end - 1] != " " and _iban_valid(text[match.start() : end]):
                if free(match.start(), end):
                    take("iban", match.start(), end)
                break
    for match in TRACKING.finditer(text):
        if free(match.start(), match.end()) and any(c.isdigit() for c in match.group(0)[2:]):
            take("tracking_code", match.start(), match.end())
    safe = [False] * len(text)
    for match in _SAFE.finditer(text):
        for i in range(match.start(), match.end()):
            safe[i] = True
    for match in PHONE.finditer(text):
        start, end = match.start(), match.end()
        if free(start, end) and not any(safe[start:end]) and _phone_ok(match.group(0)):
            take("phone", start, end)
    for match in NL_POSTCODE.finditer(text):
        digits, letters = match.group(1), match.group(2)
        if letters.lower() in _NOT_POSTCODE_LETTERS:
            continue
        # "1012ab" typed together is a postcode in any case; "2025 ga" is a year and a word.
        spaced = match.end(1) != match.start(2)
        if spaced and not letters.isupper() and digits[:2] in ("19", "20"):
            continue
        if free(match.start(), match.end()) and not any(safe[match.start() : match.end()]):
            take("postcode", match.start(), match.end())
    for match in BE_POSTCODE.finditer(text):
        # "B-9000" goes whole; of "postcode 2000" only the number.
        start, end = (match.start(), match.end()) if match.group(1) else match.span(2)
        if free(start, end):
            take("postcode", start, end)
    for match in ORDER.finditer(text):
        if free(match.start(), match.end()) and not any(safe[match.start() : match.end()]):
            take("order_number", match.start(), match.end())
    return sorted(found, key=lambda f: f.start)


def mask(text: str) -> str:
    """`text` with every piece of personal data replaced by its placeholder ("[email]")."""
    findings = find_personal_data(text)
    if not findings:
        return text
    parts: list[str] = []
    at = 0
    for finding in findings:
        parts.append(text[at : finding.start])
        parts.append(PLACEHOLDERS[finding.kind])
        at = finding.end
    parts.append(text[at:])
    return "".join(parts)


def mask_value(value: object) -> object:
    """A JSON value with every string in it masked (lists and objects walked through)."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [mask_value(item) for item in value]
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    return value
