"""What a customer's message and sender id may be before Rasa stores them: pure rules.

Used by the REST channel (bot/channels/rest.py); no Rasa import, tested from the app side.
"""

from __future__ import annotations

import re
from typing import Optional

# Longer messages are refused (413) rather than parsed: DIET's cost grows with the length,
# and no customer question needs more (the inbox keeps at most 4,000 characters).
MAX_MESSAGE_CHARS = 5_000
# Letters, digits, "-", "_" and "." only: no ":", so a REST caller can never name a Meta
# conversation ("whatsapp:31612345678") and read or write its tracker; at most the length
# of the inbox's conversation ids.
_SENDER = re.compile(r"[A-Za-z0-9_.\-]{1,128}")
# C0 controls other than tab, newline and carriage return, and DEL: never typed on purpose;
# NUL cannot be stored in PostgreSQL text and escapes would reach the colleagues' screens.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def sender_problem(sender: object) -> Optional[str]:
    """Why this is not a usable sender id, or None."""
    if not isinstance(sender, str) or not _SENDER.fullmatch(sender):
        return "'sender' must be 1 to 128 letters, digits, '-', '_' or '.'."
    return None


def message_problem(message: object) -> Optional[str]:
    """Why this is not a usable message, or None."""
    if not isinstance(message, str):
        return "'message' must be text."
    if len(message) > MAX_MESSAGE_CHARS:
        return f"'message' is longer than {MAX_MESSAGE_CHARS} characters."
    return None


def clean_text(text: str) -> str:
    """The text without control characters and with each lone surrogate as U+FFFD."""
    # A lone surrogate (JSON "\\ud800") cannot be encoded as UTF-8 anywhere downstream.
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return _CONTROL.sub("", text)
