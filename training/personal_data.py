"""Personal data left in an example, outside entity markup (the detector lives in kit)."""

from __future__ import annotations

from kit.personal_data import Finding
from kit.personal_data import find_personal_data as find_in_text
from training.markup import unmarked_text


def find_personal_data(text: str) -> list[Finding]:
    """Emails, phone numbers, IBANs, postcodes, order numbers and tracking codes, unmarked."""
    return find_in_text(unmarked_text(text, blank=" "))
