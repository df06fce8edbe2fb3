"""The few things the connectors say themselves, in Dutch and English."""

from __future__ import annotations

from typing import Optional

_THING = {
    "image": ("je foto", "your photo"),
    "video": ("je video", "your video"),
    "audio": ("je spraakbericht", "your voice message"),
    "file": ("je bestand", "your file"),
    "document": ("je bestand", "your file"),
}

TEXTS = {
    "attachment": (
        "Ik kan alleen tekst lezen — een collega bekijkt {nl_thing} zo snel mogelijk.",
        "I can only read text — a colleague will look at {en_thing} as soon as possible.",
    ),
    "sticker": (
        "Ik kan alleen tekst lezen. Typ je vraag gerust, dan help ik je verder.",
        "I can only read text. Just type your question and I'll help you.",
    ),
    "comment_answered": (
        "We hebben je een persoonlijk bericht gestuurd 💬",
        "We've sent you a private message 💬",
    ),
    "comment_handed_over": (
        "Dank je voor je reactie! Een collega antwoordt je hier zo snel mogelijk.",
        "Thanks for your comment! A colleague will answer you here as soon as possible.",
    ),
    "comment_thanks": ("Dank je wel! 💚", "Thank you! 💚"),
}


def customer_text(key: str, language: Optional[str], **values: str) -> str:
    """The text in the conversation language; both languages when it is not known yet."""
    dutch, english = TEXTS[key]
    nl_thing, en_thing = _THING.get(values.pop("attachment", "file"), _THING["file"])
    values.update(nl_thing=nl_thing, en_thing=en_thing)
    if language == "nl":
        return dutch.format(**values)
    if language == "en":
        return english.format(**values)
    return dutch.format(**values) + "\n\n" + english.format(**values)
