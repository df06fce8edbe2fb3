"""Personal data left in an example: emails, phone numbers and unmarked order numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from training.markup import unmarked_text

Kind = Literal["email", "phone", "order_number"]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# A run of digits with the separators people type in phone numbers.
DIGIT_RUN = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \t().\-/]*\d(?!\w)")
ORDER_NUMBER = re.compile(r"(?<![\d])\d{6}(?![\d])")
PHONE_MIN_DIGITS = 9
PHONE_MAX_DIGITS = 15


@dataclass(frozen=True)
class Finding:
    """One piece of personal data in the text."""

    kind: Kind
    value: str


def find_personal_data(text: str) -> list[Finding]:
    """Emails, phone numbers and 6-digit order numbers outside entity markup."""
    rest = unmarked_text(text, blank=" ")
    findings: list[Finding] = []
    for match in EMAIL.finditer(rest):
        findings.append(Finding("email", match.group(0)))
    rest = EMAIL.sub(" ", rest)
    for match in DIGIT_RUN.finditer(rest):
        digits = re.sub(r"\D", "", match.group(0))
        if PHONE_MIN_DIGITS <= len(digits) <= PHONE_MAX_DIGITS:
            findings.append(Finding("phone", match.group(0).strip()))
            rest = rest.replace(match.group(0), " ", 1)
    for match in ORDER_NUMBER.finditer(rest):
        findings.append(Finding("order_number", match.group(0)))
    return findings
