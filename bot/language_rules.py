"""Decide whether a customer message is Dutch or English, and how sure we can be.

Pure logic (lingua plus two small word lists), shared by the NLU component and the
NLU evaluation. Short messages ("ja", "thanks", "hoi", "hello") are returned as *unreliable*
guesses so the conversation language never flips on them, though a guess still decides a first
message. Messages without evidence ("ok", "hey", an emoji, a product name) get no code at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, FrozenSet, List, Optional, Tuple

# Names that say nothing about the language the customer writes in.
NEUTRAL_WORDS: FrozenSet[str] = frozenset(
    [
        "linde", "co", "lina", "noor", "ravi", "storm", "mila", "sven", "merino", "jeans", "jean",
        "denim", "sample", "sale", "amsterdam", "utrecht", "rotterdam", "ok", "oke", "okay", "oké",
        "okidoki", "xl", "xxl", "xs", "s", "m", "l", "ps", "hey", "heey", "heyy", "yo", "top",
        "super", "cool", "nice", "sorry", "sry", "thx", "tx", "lol", "haha", "hahaha", "instagram",
        "facebook", "whatsapp", "email", "e-mail", "mail", "online", "shop", "webshop"
    ]
)

DUTCH_WORDS: FrozenSet[str] = frozenset(
    [
        "ik", "je", "jij", "jou", "jouw", "u", "uw", "we", "wij", "ons", "onze", "mijn", "m'n",
        "mn", "zijn", "zn", "z'n", "haar", "hun", "het", "een", "de", "den", "der", "des", "dit",
        "dat", "deze", "die", "daar", "hier", "er", "wat", "wie", "waar", "wanneer", "waarom",
        "hoe", "hoeveel", "welke", "welk", "niet", "geen", "nee", "neen", "ja", "jawel", "jaja",
        "jup", "nou", "toch", "wel", "nog", "ook", "al", "maar", "of", "want", "dus", "en", "als",
        "dan", "om", "op", "te", "tot", "van", "voor", "met", "naar", "bij", "uit", "aan", "over",
        "onder", "door", "zonder", "tegen", "kan", "kun", "kunnen", "kunt", "mag", "mogen", "moet",
        "moeten", "wil", "wilt", "willen", "zou", "zouden", "heb", "hebt", "heeft", "hebben", "had",
        "ben", "bent", "is", "zijn", "was", "waren", "word", "wordt", "worden", "ga", "gaat",
        "gaan", "doe", "doet", "doen", "krijg", "krijgt", "kom", "komt", "komen", "zie", "zoek",
        "zoeken", "vind", "vindt", "weet", "weten", "graag", "alsjeblieft", "alstublieft", "aub",
        "astublieft", "bedankt", "dank", "dankje", "dankjewel", "dankuwel", "merci", "hoi", "hoii",
        "hallootjes", "doei", "dag", "daag", "tot", "ziens", "groetjes", "goedemorgen",
        "goedemiddag", "goedenavond", "goeiedag", "goeiemorgen", "welterusten", "fijne", "prettige",
        "bestelling", "bestellingen", "besteld", "bestellen", "pakket", "pakketje", "levering",
        "geleverd", "retour", "retourtje", "retourneren", "terugsturen", "terug", "terugbetaling",
        "geld", "trui", "truitje", "jurk", "jurkje", "wikkeljurk", "broek", "spijkerbroek", "jas",
        "regenjas", "sjaal", "blouse", "linnen", "wollen", "rode", "rood", "blauwe", "blauw",
        "zwarte", "zwart", "groene", "groen", "witte", "wit", "gele", "geel", "roze", "grijze",
        "grijs", "bruine", "bruin", "beige", "maat", "maten", "kleur", "kleuren", "prijs", "kost",
        "kosten", "duur", "goedkoop", "korting", "voorraad", "winkel", "winkels", "filiaal", "nog",
        "steeds", "modeshow", "najaarsmodeshow", "stylingworkshop", "workshop", "aanmelden",
        "inschrijven", "plek", "plekken", "plaatsen", "evenement", "evenementen", "wanneer", "waar",
        "klacht", "klachten", "medewerker", "mens", "persoon", "iemand", "spreken", "praten",
        "collega", "echt", "helemaal", "slecht", "kapot", "stuk", "boos", "teleurgesteld",
        "nederlands", "engels", "taal", "spreek", "praat", "vandaag", "morgen", "gisteren", "week",
        "maand", "zaterdag", "zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
        "beetje", "even", "effe", "efkes", "ff", "gewoon", "eigenlijk", "misschien", "zoiets",
        "allemaal", "alles", "iets", "niks", "niets", "nieuw", "nieuwe", "mooi", "mooie", "leuk",
        "leuke", "hoelang", "lang", "duurt", "dagen", "bezorgd", "bezorging", "verzending",
        "verzonden", "nummer", "ordernummer", "bestelnummer", "status", "waar's", "hoeveel", "ofzo",
        "trouwens", "precies", "gekregen", "ontvangen", "betaald", "terugstorten", "teruggestort",
        "heeft", "verkeerd", "verkeerde", "past", "passen", "groot", "klein", "kleine", "grote",
        "andere", "ander", "welke", "heeft", "hebben", "jullie",
        # Greetings only Dutch speakers open with ("hello" and "hi" are English, "hey" is both).
        "hallo", "hallootjes", "hai", "hee", "heej", "hoihoi", "dagdag", "goedendag", "goeiendag",
        "goeiemiddag", "goeienavond", "goeieavond", "mogge", "moi"
    ]
)

ENGLISH_WORDS: FrozenSet[str] = frozenset(
    [
        "i", "i'm", "im", "i'd", "i've", "you", "you're", "your", "yours", "we", "our", "us", "my",
        "me", "mine", "he", "she", "they", "their", "the", "a", "an", "this", "that", "these",
        "those", "there", "here", "what", "who", "where", "when", "why", "how", "which", "not",
        "no", "nope", "yes", "yeah", "yep", "yup", "sure", "do", "does", "did", "don't", "doesn't",
        "didn't", "can", "can't", "could", "would", "should", "will", "won't", "may", "might",
        "must", "want", "wanna", "need", "have", "has", "had", "am", "are", "is", "was", "were",
        "be", "been", "being", "get", "got", "go", "going", "come", "see", "look", "looking",
        "find", "know", "please", "pls", "plz", "thanks", "thank", "cheers", "ty", "hi", "hello",
        "hiya", "morning", "evening", "bye", "goodbye", "see", "later", "take", "care", "good",
        "great", "awesome", "order", "orders", "ordered", "parcel", "package", "delivery",
        "delivered", "shipping", "shipped", "return", "returns", "returning", "refund", "refunded",
        "money", "back", "send", "sweater", "jumper", "dress", "wrap", "trousers", "pants", "coat",
        "raincoat", "jacket", "scarf", "shirt", "linen", "wool", "woollen", "red", "blue", "black",
        "green", "white", "yellow", "pink", "grey", "gray", "brown", "size", "sizes", "colour",
        "color", "colours", "colors", "price", "cost", "costs", "expensive", "cheap", "discount",
        "stock", "store", "stores", "shop", "branch", "still", "fashion", "show", "styling",
        "workshop", "sign", "register", "spot", "spots", "place", "places", "seat", "seats",
        "event", "events", "complaint", "complain", "agent", "human", "person", "someone",
        "somebody", "speak", "talk", "real", "colleague", "really", "bad", "broken", "angry",
        "disappointed", "english", "dutch", "language", "today", "tomorrow", "yesterday", "week",
        "month", "saturday", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday",
        "bit", "just", "actually", "maybe", "something", "everything", "anything", "nothing", "new",
        "nice", "lovely", "long", "take", "takes", "days", "number", "status", "anyway", "exactly",
        "received", "paid", "wrong", "fit", "fits", "big", "small", "large", "other", "another",
        "of", "for", "with", "and", "to", "from", "at", "on", "in", "into", "about", "it", "its",
        "it's", "any", "some", "all", "much", "many", "too", "also", "but", "or", "if", "then",
        "so", "just", "only"
    ]
)

_WORD = re.compile(r"[a-zà-ÿ]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Detection:
    """The language of one message: `code` is None when the text carries no evidence."""

    code: Optional[str]
    confidence: float
    reliable: bool

    def as_dict(self) -> Dict[str, object]:
        """The JSON form carried in the parse data."""
        return {
            "code": self.code,
            "confidence": round(self.confidence, 3),
            "reliable": self.reliable,
        }


@lru_cache(maxsize=1)
def _lingua():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.ENGLISH).build()


def _lingua_dutch_share(text: str) -> float:
    from lingua import Language

    values = _lingua().compute_language_confidence_values(text)
    for value in values:
        if value.language == Language.DUTCH:
            return float(value.value)
    return 0.0


def _lexicon_votes(words: List[str]) -> Tuple[int, int]:
    dutch = english = 0
    for word in words:
        in_dutch, in_english = word in DUTCH_WORDS, word in ENGLISH_WORDS
        if in_dutch and not in_english:
            dutch += 1
        elif in_english and not in_dutch:
            english += 1
    return dutch, english


def detect_language(text: str) -> Detection:
    """Detect Dutch or English; only messages with enough words are `reliable`."""
    all_words = _WORD.findall(text.lower())
    words = [w for w in all_words if w not in NEUTRAL_WORDS]
    if not words:
        # Only names and words both languages use ("hey", "ok", "Storm XL"): no evidence. A
        # first message like that is answered in the brand's default language
        # (BRAND_DEFAULT_LANGUAGE, applied by the action server), later ones keep the language.
        return Detection(None, 0.0, False)
    dutch_votes, english_votes = _lexicon_votes(words)
    votes = dutch_votes + english_votes
    lexicon_share = dutch_votes / votes if votes else 0.5
    lingua_share = _lingua_dutch_share(" ".join(words))
    if votes and len(words) < 3:
        # Two words are too few for a character model; trust the word lists.
        dutch_share = 0.8 * lexicon_share + 0.2 * lingua_share
    elif votes:
        dutch_share = 0.5 * lexicon_share + 0.5 * lingua_share
    else:
        dutch_share = lingua_share
    code = "nl" if dutch_share >= 0.5 else "en"
    confidence = max(dutch_share, 1.0 - dutch_share)
    reliable = len(words) >= 3 and votes >= 2 and confidence >= 0.7
    return Detection(code, confidence, reliable)
