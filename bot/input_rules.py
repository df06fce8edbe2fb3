"""Which messages carry no words at all: pure rules for bot/no_words.py.

Empty messages, only emoji and only punctuation give the classifier nothing to read, yet it
still names an intent (often a confident wrong one). They are not understood, whatever it says.
"""

from __future__ import annotations

from typing import Optional

# Added to the parse data of a message without words; the action server reads it
# (actions/off_topic.py) to answer "I only see emoji" instead of "I didn't understand".
NO_WORDS_KEY = "no_words"


def has_words(text: Optional[str]) -> bool:
    """Whether the text has a letter or a digit in any script (emoji and marks are neither)."""
    return bool(text) and any(char.isalnum() for char in str(text))
