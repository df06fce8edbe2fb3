"""Product and event conversations through the real product: Rasa, the action server, the data.

Follow-ups that name nothing, a bare product name, Flemish and informal words, and a size a
product does not come in, each in Dutch and in English. None of them reaches a colleague.
"""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import RunningStack
from tests.e2e.test_support_loop import say_rest

pytestmark = pytest.mark.e2e

# Every turn: what the customer says, and phrases the reply must hold.
Turns = list[tuple[str, list[str]]]
# Words of the escalation replies: none of these conversations needs a colleague.
HANDED_OVER = ("colleague", "collega")

CONVERSATIONS: dict[str, dict[str, Turns]] = {
    "sold out, then when is it back": {
        "en": [
            ("Hi there, how are you?", []),
            (
                "is the Lina wrap dress available in M in terracotta?",
                ["Lina wrap dress in M / terracotta is sold out", "we expect it back on"],
            ),
            ("when is it back?", ["M / terracotta", "we expect it back on"]),
        ],
        "nl": [
            ("Hoi, hoe gaat het?", []),
            (
                "is de Lina wikkeljurk er in maat M in terracotta?",
                ["Lina wikkeljurk in M / terracotta is uitverkocht", "verwachten hem weer op"],
            ),
            ("wanneer is die terug?", ["M / terracotta", "verwachten hem weer op"]),
        ],
    },
    "event list, then how much and is there room": {
        "en": [
            ("Which events are coming up?", ["Styling workshop"]),
            (
                "how much is it and is there room?",
                ["Styling workshop", "€15.00 per person", "places left", "just walk in"],
            ),
        ],
        "nl": [
            ("Welke events komen eraan?", ["Stylingworkshop"]),
            (
                "hoeveel kost het en is er nog plek?",
                ["Stylingworkshop", "€ 15,00 per persoon", "plekken vrij", "loop gewoon binnen"],
            ),
        ],
    },
    "a bare product name": {
        "en": [
            ("Hi there, how are you?", []),
            (
                "Storm",
                [
                    "Storm raincoat: on sale for €103.96 (was €129.95)",
                    "Colours: black and navy",
                    "In stock in sizes",
                ],
            ),
        ],
        "nl": [
            ("Hoi, hoe gaat het?", []),
            (
                "Storm",
                [
                    "Storm regenjas: in de sale voor € 103,96 (was € 129,95)",
                    "Kleuren: zwart en marineblauw",
                    "Op voorraad in maat",
                ],
            ),
        ],
    },
    "Flemish, informal and singular words": {
        "en": [
            ("Hi, do you sell a sneaker?", ["Koen leather sneakers"]),
        ],
        "nl": [
            ("Hebde gij ne kleedje in het rood?", ["jurk"]),
            ("en ne warme pull?", ["trui"]),
        ],
    },
    "a size the product does not come in": {
        "en": [
            ("Hi there, how are you?", []),
            (
                "do you have the Noor merino sweater in XXL?",
                ["doesn't come in size XXL", "S, M, L and XL"],
            ),
        ],
        "nl": [
            ("Hoi, hoe gaat het?", []),
            (
                "hebben jullie de Noor merino trui in maat 50?",
                ["bestaat niet in maat 50", "S, M, L en XL"],
            ),
        ],
    },
}


@pytest.mark.parametrize("language", ["en", "nl"])
@pytest.mark.parametrize("conversation", list(CONVERSATIONS))
async def test_product_conversation(
    stack: RunningStack, conversation: str, language: str
) -> None:
    sender = f"products-{language}-{uuid.uuid4().hex[:8]}"
    for text, expected in CONVERSATIONS[conversation][language]:
        reply = "\n".join(await say_rest(stack, sender, text))
        assert reply, (text, "no answer")
        for phrase in expected:
            assert phrase in reply, (text, phrase, reply)
        assert not any(word in reply.lower() for word in HANDED_OVER), (text, reply)
