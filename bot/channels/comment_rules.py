"""Which public comments deserve an answer: spam and plain praise are recognised here.

Everything else goes to the assistant, which answers it (publicly short, privately in full)
or hands it to a colleague as a public ticket.
"""

from __future__ import annotations

import re

SPAM = "spam"
PRAISE = "praise"
OTHER = "other"

_LINK = re.compile(r"https?://|www\.|\b[a-z0-9-]+\.(?:com|net|io|xyz|ru|top|link)\b", re.I)
_SPAM_WORDS = re.compile(
    r"\b(?:crypto|bitcoin|forex|giveaway winner|dm me|check (?:my|our) (?:page|profile|bio)|"
    r"follow (?:me|back)|earn \$?\d+|free followers|promo ?code|cash ?app|whats ?app me)\b",
    re.I,
)
_PRAISE_WORDS = re.compile(
    r"\b(?:mooi|prachtig|schitterend|geweldig|super|top|leuk|gaaf|love(?:ly)?|beautiful|"
    r"gorgeous|amazing|great|stunning|perfect|perfecte?|wauw|wow|cute|schattig|goals)\b",
    re.I,
)
_QUESTION_WORDS = re.compile(
    r"\b(?:wat|wanneer|waar|hoe|welke|hoeveel|kan|kun|kunnen|heb|hebben|is|zijn|what|when|"
    r"where|how|which|can|could|do|does|is|are|price|prijs|kost|maat|size|stock|voorraad)\b",
    re.I,
)
_EMOJI_ONLY = re.compile(r"^[\W_]+$", re.UNICODE)


def comment_kind(text: str) -> str:
    """SPAM, PRAISE or OTHER for the text of a public comment."""
    stripped = text.strip()
    if not stripped:
        return PRAISE  # an emoji-only or sticker comment: a reaction, nothing to answer
    if _LINK.search(stripped) or _SPAM_WORDS.search(stripped):
        return SPAM
    if "?" in stripped or _QUESTION_WORDS.search(stripped):
        return OTHER
    words = re.findall(r"\w+", stripped)
    if _EMOJI_ONLY.match(stripped) or (len(words) <= 8 and _PRAISE_WORDS.search(stripped)):
        return PRAISE
    return OTHER
