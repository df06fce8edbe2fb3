"""Split long texts at the platforms' limits, preferring paragraph, sentence and word breaks."""

from __future__ import annotations

import re
from typing import Callable, List

# Documented limits: Messenger 2000 characters; Instagram 1000 bytes (UTF-8); WhatsApp text
# bodies 4096 characters and interactive bodies 1024 characters.
MESSENGER_TEXT_LIMIT = 2000
INSTAGRAM_TEXT_BYTES = 1000
WHATSAPP_TEXT_LIMIT = 4096
WHATSAPP_INTERACTIVE_BODY_LIMIT = 1024

Measure = Callable[[str], int]


def characters(text: str) -> int:
    return len(text)


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?…])\s+"),
           re.compile(r"\s+"))


def _longest_prefix(text: str, limit: int, measure: Measure) -> int:
    """The largest index i with measure(text[:i]) <= limit (binary search; measure grows)."""
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(text[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return low


def split_text(text: str, limit: int, measure: Measure = characters) -> List[str]:
    """Parts of at most `limit` (by `measure`) that together hold every word of `text`."""
    if limit < 1:
        raise ValueError("limit must be positive")
    text = text.strip()
    parts: List[str] = []
    while text:
        if measure(text) <= limit:
            parts.append(text)
            break
        cut = _longest_prefix(text, limit, measure)
        window = text[:cut]
        end = 0
        for pattern in _BREAKS:
            breaks = [m for m in pattern.finditer(window) if m.start() > 0]
            if breaks and breaks[-1].start() >= cut // 3:
                end = breaks[-1].start()
                rest_start = breaks[-1].end()
                break
        if not end:
            # One unbroken run longer than a third of the limit: cut inside it.
            end = rest_start = max(cut, 1)
        parts.append(text[:end].rstrip())
        text = text[rest_start:].lstrip()
    return [part for part in parts if part]
