"""Language detection: clear messages are detected reliably, short ones only guessed."""

from __future__ import annotations

import pytest

from bot.language_rules import detect_language


@pytest.mark.parametrize(
    "text",
    [
        "wat kost de Lina wikkeljurk?",
        "heb je de Noor trui nog in maat M",
        "kan ik mijn order returnen?",
        "m'n pakketje is nog steeds niet binnen",
        "neen, dat bedoel ik niet",
        "ik wil me aanmelden voor de stylingworkshop",
    ],
)
def test_clear_dutch_is_reliable(text: str) -> None:
    detection = detect_language(text)
    assert (detection.code, detection.reliable) == ("nl", True)


@pytest.mark.parametrize(
    "text",
    [
        "how much is the Lina wrap dress?",
        "do you still have the Noor sweater in size M",
        "my parcel still hasn't arrived",
        "I want to sign up for the styling workshop",
        "can I return my jeans please",
    ],
)
def test_clear_english_is_reliable(text: str) -> None:
    detection = detect_language(text)
    assert (detection.code, detection.reliable) == ("en", True)


@pytest.mark.parametrize(
    "text",
    ["ok", "ja", "thanks", "merci", "👍", "Ravi jeans", "Storm raincoat XL", "hallo", "100234"],
)
def test_short_messages_are_never_reliable(text: str) -> None:
    assert detect_language(text).reliable is False


def test_no_words_means_no_language() -> None:
    assert detect_language("👍🙏").code is None
    assert detect_language("").code is None


def test_short_messages_still_get_a_best_guess() -> None:
    assert detect_language("bedankt!").code == "nl"
    assert detect_language("thank you!").code == "en"
    assert detect_language("neen").code == "nl"


@pytest.mark.parametrize(
    "text",
    ["hallo", "Hallo!", "hoi", "hoii", "hai", "hee", "goedemiddag", "goeiemiddag", "dag",
     "goeiemorgen", "goedenavond", "goeiendag", "hallootjes", "hoi hoi"],
)
def test_a_dutch_greeting_is_dutch_evidence(text: str) -> None:
    detection = detect_language(text)
    assert (detection.code, detection.reliable) == ("nl", False)


@pytest.mark.parametrize(
    "text", ["hello", "Hello!", "hi", "hiya", "good afternoon", "good morning", "good evening",
             "hey there"],
)
def test_an_english_greeting_stays_english(text: str) -> None:
    detection = detect_language(text)
    assert (detection.code, detection.reliable) == ("en", False)


@pytest.mark.parametrize("text", ["hey", "Hey!", "heyy", "ok", "oké", "yo", "Storm XL", "Lina"])
def test_words_both_languages_use_are_no_evidence(text: str) -> None:
    # No code: the action server answers such a first message in the brand default.
    assert detect_language(text) == detect_language("👍")
    assert detect_language(text).code is None


def test_a_greeting_does_not_outweigh_a_clear_sentence() -> None:
    assert detect_language("hallo, do you still have the Noor sweater in size M").code == "en"
    assert detect_language("hey, ik zoek een warme trui").code == "nl"
    assert detect_language("hello, ik zoek een warme trui voor de winter").code == "nl"
