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
